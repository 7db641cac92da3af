"""All pages in one router, for `certify.app` to include."""

from fastapi import APIRouter

from certify.web import (
    account,
    admins,
    applying,
    buyers,
    inspectors,
    listing,
    offline_form,
    reviewing,
    staff,
    standard_pages,
    tracking,
    workshops,
)

router = APIRouter(include_in_schema=False)
for module in (
    account,
    buyers,
    tracking,
    applying,
    reviewing,
    inspectors,
    offline_form,
    staff,
    admins,
    workshops,
    standard_pages,
):
    router.include_router(module.router)
router.include_router(listing.pages)
router.include_router(listing.open_data)
