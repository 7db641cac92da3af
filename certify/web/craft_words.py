"""The words a page shows for the standards' product categories and target markets (their codes
are identifiers in the standards' files): English msgids, Indonesian in the catalog."""

from __future__ import annotations

from certify.web.i18n import N_

CATEGORY_WORDS = {
    "batik_tulis": N_("Hand-drawn batik (tulis)"),
    "batik_cap": N_("Stamped batik (cap)"),
    "batik_kombinasi": N_("Combined batik (tulis and cap)"),
    "dinnerware": N_("Dinnerware"),
    "drinkware": N_("Drinkware"),
    "serveware": N_("Serveware"),
    "vase": N_("Vase"),
    "planter": N_("Planter"),
    "ornament": N_("Ornament"),
    "wall_decor": N_("Wall decoration"),
    "cookware": N_("Cookware"),
    "textile": N_("Textile"),
    "woodwork": N_("Woodwork"),
    "ceramic": N_("Ceramic"),
    "basketry": N_("Basketry"),
    "metalwork": N_("Metalwork"),
    "jewellery": N_("Jewellery"),
    "other": N_("Other"),
    "seating": N_("Seating"),
    "table": N_("Table"),
    "cabinet": N_("Cabinet"),
    "basket": N_("Basket"),
    "lamp": N_("Lamp"),
    "tray": N_("Tray"),
    "placemat": N_("Placemat"),
    "carving": N_("Carving"),
    "furniture": N_("Furniture"),
    "homeware": N_("Homeware"),
    "toy": N_("Toy"),
    "tenun_ikat": N_("Tenun ikat"),
    "songket": N_("Songket"),
    "lurik": N_("Lurik"),
    "tenun_lain": N_("Other handwoven cloth"),
}
MARKET_WORDS = {
    "id": N_("Indonesia"),
    "eu": N_("European Union"),
    "uk": N_("United Kingdom"),
    "us": N_("United States"),
    "other": N_("Other countries"),
}
