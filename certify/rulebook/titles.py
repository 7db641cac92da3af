"""Titles of the values of the standards published before values had titles (every 2026.1 file).

Those files are pinned by their content hash (issued certificates and stored inspections name
it), so they cannot gain `value_titles`; the loader gives them these instead (a private part of
the model, never hashed). A later standard titles its values in its own file, linted.
"""

from __future__ import annotations

from certify.core.standard import Standard
from certify.core.text import Text

# The versions published before values had titles; every later file titles its own values.
PUBLISHED_UNTITLED = frozenset({"2026.1"})

_ANY_FACT: dict[str, tuple[str, str]] = {
    # batik
    "batik_tulis": ("batik tulis (hand-drawn)", "batik tulis"),
    "batik_cap": ("batik cap (stamped)", "batik cap"),
    "batik_kombinasi": ("batik kombinasi (hand-drawn and stamped)", "batik kombinasi"),
    "natural": ("natural", "alami"),
    "synthetic": ("synthetic", "sintetis"),
    "mixed": ("mixed", "campuran"),
    "cotton": ("cotton", "katun"),
    "silk": ("silk", "sutra"),
    "rayon": ("rayon", "rayon"),
    "linen": ("linen", "linen"),
    "kain_panjang": ("kain panjang (long cloth)", "kain panjang"),
    "sarung": ("sarong", "sarung"),
    "selendang": ("selendang (shawl)", "selendang"),
    "garment": ("garment", "busana"),
    # markets
    "domestic": ("Indonesia (domestic)", "Indonesia (dalam negeri)"),
    "export": ("export", "ekspor"),
    "export_eu": ("export to the EU", "ekspor ke Uni Eropa"),
    "export_us": ("export to the USA", "ekspor ke Amerika Serikat"),
    "export_other": ("export elsewhere", "ekspor ke negara lain"),
    "other_export": ("export elsewhere", "ekspor ke negara lain"),
    "id": ("Indonesia", "Indonesia"),
    "eu": ("European Union", "Uni Eropa"),
    "uk": ("United Kingdom", "Britania Raya"),
    "us": ("United States", "Amerika Serikat"),
    "usa": ("United States", "Amerika Serikat"),
    "asia": ("Asia", "Asia"),
    # wearers
    "adult": ("adult", "dewasa"),
    "child": ("child", "anak"),
    "baby": ("baby", "bayi"),
    "not_worn": ("not worn (decoration only)", "tidak dipakai (hanya hiasan)"),
    # ceramics
    "dinnerware": ("dinnerware", "peralatan makan"),
    "drinkware": ("drinkware", "peralatan minum"),
    "serveware": ("serveware", "peralatan saji"),
    "vase": ("vase", "vas"),
    "planter": ("planter", "pot tanaman"),
    "ornament": ("ornament", "hiasan"),
    "wall_decor": ("wall decoration", "hiasan dinding"),
    "cookware": ("cookware", "peralatan masak"),
    "earthenware": ("earthenware", "gerabah"),
    "terracotta": ("terracotta", "terakota"),
    "stoneware": ("stoneware", "keramik batu"),
    "porcelain": ("porcelain", "porselen"),
    "wheel_thrown": ("wheel-thrown", "dibentuk dengan roda putar"),
    "hand_built": ("hand-built", "dibentuk tangan"),
    "press_moulded": ("press-moulded", "dicetak tekan"),
    "slip_cast": ("slip-cast", "dicetak tuang"),
    "jiggered": ("jiggered", "dibentuk dengan jigger"),
    "full": ("fully glazed", "diglasir penuh"),
    "inside_only": ("glazed inside only", "diglasir bagian dalam saja"),
    "handle": ("handle", "pegangan"),
    "spout": ("spout", "cerat"),
    "lid": ("lid", "tutup"),
    "drainage_hole": ("drainage hole", "lubang pembuangan air"),
    "hanging_hole": ("hanging hole", "lubang gantungan"),
    # general
    "textile": ("textile", "tekstil"),
    "woodwork": ("woodwork", "kerajinan kayu"),
    "ceramic": ("ceramic", "keramik"),
    "basketry": ("basketry", "anyaman"),
    "metalwork": ("metalwork", "kerajinan logam"),
    "jewellery": ("jewellery", "perhiasan"),
    "fully_hand_made": ("fully hand-made", "sepenuhnya buatan tangan"),
    "hand_and_power_tools": ("hand and power tools", "alat tangan dan alat listrik"),
    "semi_industrial": ("semi-industrial", "semi-industri"),
    "wood": ("wood", "kayu"),
    "bamboo": ("bamboo", "bambu"),
    "rattan": ("rattan", "rotan"),
    "plant_fibre": ("plant fibre", "serat tumbuhan"),
    "wool": ("wool", "wol"),
    "leather": ("leather", "kulit"),
    "paper": ("paper", "kertas"),
    "clay": ("clay", "tanah liat"),
    "glass": ("glass", "kaca"),
    "iron_steel": ("iron or steel", "besi atau baja"),
    "copper_brass": ("copper or brass", "tembaga atau kuningan"),
    "silver": ("silver", "perak"),
    "gold": ("gold", "emas"),
    "bone_horn_shell": ("bone, horn or shell", "tulang, tanduk, atau cangkang"),
    "stone": ("stone", "batu"),
    "resin_plastic": ("resin or plastic", "resin atau plastik"),
    "oil_wax": ("oil or wax", "minyak atau lilin"),
    "varnish_lacquer": ("varnish or lacquer", "pernis atau lak"),
    "paint": ("paint", "cat"),
    "ceramic_glaze": ("ceramic glaze", "glasir keramik"),
    "metal_plating": ("metal plating", "pelapisan logam"),
    # rattan and bamboo
    "seating": ("seating", "tempat duduk"),
    "table": ("table", "meja"),
    "cabinet": ("cabinet", "lemari"),
    "basket": ("basket", "keranjang"),
    "lamp": ("lamp", "lampu"),
    "tray": ("tray", "nampan"),
    "placemat": ("placemat", "tatakan piring"),
    "rattan_cane": ("rattan cane", "rotan batang"),
    "rattan_core": ("rattan core", "hati rotan"),
    "rattan_peel": ("rattan peel", "kulit rotan"),
    "bamboo_pole": ("bamboo pole", "batang bambu"),
    "bamboo_strip": ("bamboo strip", "bilah bambu"),
    "wood_frame": ("wooden frame", "rangka kayu"),
    "steel_frame": ("steel frame", "rangka baja"),
    "synthetic_fibre": ("synthetic fibre", "serat sintetis"),
    "wax_oil": ("wax or oil", "lilin atau minyak"),
    "lacquer": ("lacquer", "lak"),
    # wood
    "carving": ("carving", "ukiran"),
    "furniture": ("furniture", "mebel"),
    "homeware": ("homeware", "perlengkapan rumah"),
    "toy": ("toy", "mainan"),
    "solid_wood": ("solid wood", "kayu utuh"),
    "plywood": ("plywood", "kayu lapis"),
    "mdf": ("MDF", "MDF"),
    "particleboard": ("particleboard", "papan partikel"),
    "metal_fittings": ("metal fittings", "perlengkapan logam"),
    "natural_oil": ("natural oil", "minyak alami"),
    "wax": ("wax", "lilin"),
    "water_based": ("water-based finish", "pelapis berbahan dasar air"),
    "solvent_lacquer": ("solvent-based lacquer", "lak berbahan pelarut"),
    # woven
    "tenun_ikat": ("tenun ikat", "tenun ikat"),
    "songket": ("songket", "songket"),
    "lurik": ("lurik", "lurik"),
    "tenun_lain": ("other handwoven cloth", "tenun lainnya"),
    "gedogan": ("gedogan (backstrap loom)", "gedogan"),
    "atbm": ("ATBM (non-powered loom)", "ATBM (alat tenun bukan mesin)"),
    "polyester": ("polyester", "poliester"),
    "gold_thread": ("gold thread", "benang emas"),
    "silver_thread": ("silver thread", "benang perak"),
    "washable": ("washable", "dapat dicuci"),
    "dry_clean": ("dry clean only", "hanya cuci kering"),
    "pure_silk": ("pure silk", "sutra murni"),
    "silk_blend": ("silk blend", "campuran sutra"),
    "local_hand_reeled": ("local hand-reeled silk", "sutra lokal pintal tangan"),
    "real_gold_silver": ("real gold or silver", "emas atau perak asli"),
    "metallised_film": ("metallised film", "film bermetal"),
    "none": ("none", "tidak ada"),
    "other": ("other", "lainnya"),
}

# Where a value reads differently under one fact.
_BY_FACT: dict[tuple[str, str], tuple[str, str]] = {
    ("markets", "other"): ("other countries", "negara lain"),
    ("destination", "other"): ("other countries", "negara lain"),
    ("destination", "domestic"): ("Indonesia (domestic)", "Indonesia (dalam negeri)"),
    ("glaze", "none"): ("unglazed", "tanpa glasir"),
    ("product_category", "other"): ("other craft", "kerajinan lainnya"),
    ("silk_claim", "none"): ("no silk claimed", "tidak mengklaim sutra"),
    ("metallic_claim", "none"): ("no metallic thread claimed", "tidak mengklaim benang logam"),
}


# Crafts a workshop names (`crafts`), for standards that title none of their own (every 2026.1 file).
_CRAFTS: dict[str, tuple[str, str]] = {
    "batik": ("batik", "batik"),
    "ceramics": ("ceramics", "keramik"),
    "pottery": ("pottery", "gerabah"),
    "wood": ("wood craft", "kerajinan kayu"),
    "woodcarving": ("wood carving", "ukir kayu"),
    "weaving": ("handweaving", "tenun"),
    "rattan": ("rattan", "rotan"),
    "bamboo": ("bamboo", "bambu"),
    "metalwork": ("metalwork", "kerajinan logam"),
    "jewellery": ("jewellery", "perhiasan"),
    "basketry": ("basketry", "anyaman"),
    "leather": ("leather craft", "kerajinan kulit"),
    "textile": ("textile craft", "kerajinan tekstil"),
}


def craft(code: str) -> Text | None:
    """The shared title of a craft; None when the table has none."""
    found = _CRAFTS.get(code)
    return None if found is None else Text(en=found[0], id=found[1])


def title(fact: str, value: str) -> Text | None:
    """The shared title of `value` of `fact`; None when the table has none."""
    found = _BY_FACT.get((fact, value)) or _ANY_FACT.get(value)
    return None if found is None else Text(en=found[0], id=found[1])


def share(standard: Standard) -> None:
    """Give a standard published before values had titles the table's titles for its values."""
    if standard.version not in PUBLISHED_UNTITLED:
        return
    titled: dict[str, dict[str, Text]] = {}
    for fact, declared in standard.facts.items():
        for value in declared.values:
            found = title(fact, value)
            if found is not None:
                titled.setdefault(fact, {})[value] = found
    standard.share_titles(titled)
