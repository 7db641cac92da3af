"""All pages in one router, for `certify.app` to include."""

from fastapi import APIRouter

from certify.web import account, admins, buyers, inspectors, listing, offline_form, staff, tracking

router = APIRouter(include_in_schema=False)
for module in (account, buyers, tracking, inspectors, offline_form, staff, admins):
    router.include_router(module.router)
router.include_router(listing.pages)
router.include_router(listing.open_data)
