"""Reference tables for the demo data: origins, regions, units, exchange rates, names and phrases.

Figures are plausible approximations for demonstration (annual average exchange rates, typical
altitudes and varieties of real coffee regions); names of farms, people and companies are made up.
Used only by the demo builder (:mod:`roasterdesk.services.demo_records`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..domain.units import BAG_60, CARGA, KG, QUINTAL, QUINTAL_GT, Basis

YEARS = tuple(range(2016, 2026))


def _fx(*values: str) -> dict[int, Decimal]:
    return {y: Decimal(v) for y, v in zip(YEARS, values, strict=True)}


@dataclass(frozen=True)
class Region:
    name: str
    places: tuple[str, ...]  # municipalities (and kebeles/villages used in names)
    lat: float
    lon: float
    alt: tuple[int, int]
    varieties: tuple[str, ...]
    processes: tuple[str, ...]  # Process values, most common first
    robusta: bool = False


@dataclass(frozen=True)
class Origin:
    code: str
    name: str
    weight: int  # share of producers
    currency: str
    fx: dict[int, Decimal]
    fx_source: str
    unit_name: str
    unit_kg: Decimal
    basis: Basis
    outturn: tuple[str, str] | None  # range of kg basis per kg green; None: the domain default
    bag_kg: int
    share: float  # typical farm-gate share of FOB
    harvest_months: tuple[int, ...]
    kinds: tuple[tuple[str, int], ...]  # producer kinds and weights
    names: str  # key of NAME_POOLS
    regions: tuple[Region, ...]
    exporters: tuple[str, ...]
    certifications: tuple[str, ...]  # Scheme values usual here
    robusta_unit: tuple[str, Decimal, Basis] | None = None


ORIGINS: tuple[Origin, ...] = (
    Origin(
        "CO", "Colombia", 20, "COP",
        _fx("3051", "2951", "2956", "3281", "3693", "3743", "4255", "4325", "4072", "4120"),
        "Banco de la República (TRM)", CARGA.name, CARGA.kg, Basis.PARCHMENT, ("88", "98"),
        70, 0.72, (4, 5, 6, 10, 11, 12),
        (("farm", 70), ("estate", 6), ("cooperative", 14), ("washing_station", 3)), "es",
        (
            Region("Huila", ("Pitalito", "Acevedo", "San Agustín", "La Plata", "Palestina",
                             "Bruselas"), 1.85, -76.05, (1450, 2050),
                   ("Castillo", "Caturra", "Colombia", "Pink Bourbon", "Tabi", "Geisha"),
                   ("washed", "washed", "honey", "natural", "anaerobic")),
            Region("Nariño", ("Buesaco", "La Unión", "San Lorenzo", "Tablón de Gómez",
                              "Consacá"), 1.38, -77.15, (1700, 2300),
                   ("Castillo", "Caturra", "Typica", "Colombia"), ("washed", "washed", "honey")),
            Region("Cauca", ("Inzá", "Popayán", "Piendamó", "Cajibío", "Totoró"), 2.55, -76.3,
                   (1600, 2150), ("Castillo", "Caturra", "Colombia", "Tabi"),
                   ("washed", "washed", "natural")),
            Region("Tolima", ("Planadas", "Chaparral", "Ataco", "Rioblanco"), 3.2, -75.65,
                   (1500, 2100), ("Castillo", "Caturra", "Colombia", "Bourbon"),
                   ("washed", "washed", "anaerobic")),
        ),
        ("Andes Specialty Exports", "Cafexport del Sur", "Sierra Verde Trading"),
        ("Fairtrade", "Rainforest Alliance", "Organic (EU)", "4C", "C.A.F.E. Practices"),
    ),
    Origin(
        "ET", "Ethiopia", 14, "ETB",
        _fx("21.7", "23.9", "27.4", "29.1", "34.9", "43.7", "51.7", "54.6", "78.0", "133.0"),
        "National Bank of Ethiopia", KG.name, KG.kg, Basis.CHERRY, ("5.8", "6.4"),
        60, 0.56, (10, 11, 12, 1),
        (("washing_station", 55), ("cooperative", 25), ("farm", 12), ("estate", 8)), "et",
        (
            Region("Yirgacheffe", ("Konga", "Idido", "Aricha", "Banko", "Chelchele", "Kochere",
                                   "Adado", "Reko"), 6.16, 38.2, (1800, 2300),
                   ("Ethiopian landrace", "74110", "74112", "Kurume", "Wolisho"),
                   ("washed", "natural")),
            Region("Guji", ("Shakiso", "Uraga", "Hambela", "Dimtu", "Sewana", "Bule Hora"),
                   5.85, 38.85, (1900, 2350), ("Ethiopian landrace", "74158", "74110"),
                   ("natural", "washed", "anaerobic")),
            Region("Sidama", ("Bensa", "Aroresa", "Bona Zuria", "Shantawene", "Bombe", "Arbegona"),
                   6.6, 38.6, (1800, 2400), ("Ethiopian landrace", "74112", "74158"),
                   ("washed", "natural", "honey")),
        ),
        ("Rift Valley Green Exporters", "Abyssinia Highland Coffee Export"),
        ("Fairtrade", "Organic (EU)", "Organic (USDA)", "Rainforest Alliance"),
    ),
    Origin(
        "KE", "Kenya", 8, "KES",
        _fx("101.5", "103.4", "101.3", "102.0", "106.5", "109.6", "117.9", "139.8", "134.8",
            "129.3"),
        "Central Bank of Kenya", KG.name, KG.kg, Basis.CHERRY, ("5.6", "6.6"),
        60, 0.62, (10, 11, 12, 4, 5, 6),
        (("cooperative", 30), ("washing_station", 35), ("estate", 20), ("farm", 15)), "ke",
        (
            Region("Nyeri", ("Othaya", "Mathira", "Tetu", "Mukurweini", "Karatina", "Gatomboya",
                             "Kiamabara"), -0.42, 36.95, (1600, 1900),
                   ("SL28", "SL34", "Ruiru 11", "Batian"), ("washed",)),
            Region("Kirinyaga", ("Gichugu", "Ndia", "Kainamui", "Ngiriambu", "Kamwangi",
                                 "Kiangoi"), -0.5, 37.3, (1550, 1850),
                   ("SL28", "SL34", "Ruiru 11", "Batian"), ("washed", "natural")),
        ),
        ("Mount Kenya Coffee Marketing", "Highlands Green Agents"),
        ("Rainforest Alliance", "Fairtrade", "4C"),
    ),
    Origin(
        "GT", "Guatemala", 10, "GTQ",
        _fx("7.60", "7.35", "7.52", "7.70", "7.72", "7.73", "7.75", "7.83", "7.76", "7.69"),
        "Banco de Guatemala", QUINTAL_GT.name, QUINTAL_GT.kg, Basis.PARCHMENT, ("1.25", "1.32"),
        69, 0.74, (12, 1, 2, 3),
        (("farm", 55), ("estate", 20), ("cooperative", 20), ("washing_station", 5)), "es",
        (
            Region("Huehuetenango", ("La Libertad", "Cuilco", "San Pedro Necta", "Todos Santos",
                                     "Santa Bárbara", "Chiantla"), 15.5, -91.8, (1500, 2000),
                   ("Bourbon", "Caturra", "Catuai", "Pache", "Typica", "Geisha"),
                   ("washed", "washed", "natural")),
            Region("Antigua", ("Antigua Guatemala", "Ciudad Vieja", "San Miguel Dueñas",
                               "Alotenango"), 14.55, -90.73, (1500, 1750),
                   ("Bourbon", "Caturra", "Catuai", "Typica"), ("washed",)),
        ),
        ("Cuchumatanes Green Export", "Volcán Coffee Exports"),
        ("Rainforest Alliance", "C.A.F.E. Practices", "Fairtrade", "Organic (USDA)"),
    ),
    Origin(
        "HN", "Honduras", 8, "HNL",
        _fx("22.8", "23.5", "23.9", "24.5", "24.6", "24.0", "24.6", "24.6", "24.8", "26.0"),
        "Banco Central de Honduras", QUINTAL.name, QUINTAL.kg, Basis.PARCHMENT, ("1.25", "1.30"),
        69, 0.66, (11, 12, 1, 2, 3),
        (("farm", 60), ("cooperative", 30), ("washing_station", 10)), "es",
        (
            Region("Santa Bárbara", ("San Luis", "Las Vegas", "Trinidad", "Gualala",
                                     "Ceguaca"), 15.0, -88.3, (1400, 1750),
                   ("Pacas", "Parainema", "Catuai", "Bourbon", "Geisha"),
                   ("washed", "honey", "natural")),
            Region("Marcala", ("Marcala", "Chinacla", "Santa María", "San José", "Opatoro"),
                   14.15, -88.03, (1300, 1700), ("Catuai", "Lempira", "IHCAFE 90", "Pacas"),
                   ("washed", "washed", "honey")),
        ),
        ("Opalaca Exportadora", "Lenca Coffee Export"),
        ("Fairtrade", "Organic (USDA)", "Organic (EU)", "Rainforest Alliance"),
    ),
    Origin(
        "PE", "Peru", 8, "PEN",
        _fx("3.38", "3.26", "3.29", "3.34", "3.49", "3.88", "3.84", "3.74", "3.75", "3.65"),
        "Banco Central de Reserva del Perú", QUINTAL.name, QUINTAL.kg, Basis.PARCHMENT,
        ("1.24", "1.32"), 69, 0.64, (4, 5, 6, 7, 8, 9),
        (("farm", 55), ("cooperative", 40), ("washing_station", 5)), "es",
        (
            Region("Cajamarca", ("Jaén", "San Ignacio", "Chirinos", "Huabal", "La Coipa"),
                   -5.45, -78.9, (1500, 2000), ("Caturra", "Typica", "Bourbon", "Catimor",
                                               "Geisha"), ("washed", "washed", "natural")),
            Region("Cusco", ("Quillabamba", "Santa Teresa", "Huayopata", "Echarati"),
                   -12.85, -72.7, (1400, 2000), ("Typica", "Bourbon", "Caturra", "Geisha"),
                   ("washed", "honey")),
        ),
        ("Andes Norte Exportaciones", "Selva Alta Green Coffee"),
        ("Fairtrade", "Organic (USDA)", "Organic (EU)", "Bird Friendly"),
    ),
    Origin(
        "BR", "Brazil", 9, "BRL",
        _fx("3.49", "3.19", "3.65", "3.94", "5.16", "5.40", "5.16", "5.00", "5.39", "5.60"),
        "Banco Central do Brasil (PTAX)", BAG_60.name, BAG_60.kg, Basis.GREEN, None,
        60, 0.80, (5, 6, 7, 8, 9),
        (("estate", 45), ("farm", 40), ("cooperative", 15)), "pt",
        (
            Region("Sul de Minas", ("Carmo de Minas", "Santo Antônio do Amparo", "Três Pontas",
                                    "Cristina", "Poço Fundo"), -21.95, -45.1, (900, 1450),
                   ("Yellow Catuaí", "Red Catuaí", "Yellow Bourbon", "Mundo Novo", "Arara"),
                   ("natural", "honey", "natural", "washed")),
            Region("Cerrado Mineiro", ("Patrocínio", "Monte Carmelo", "Araguari", "Serra do "
                                       "Salitre"), -18.95, -47.0, (900, 1250),
                   ("Yellow Catuaí", "Topázio", "Mundo Novo", "Arara"), ("natural", "honey")),
        ),
        ("Mantiqueira Exportadora", "Cerrado Green Trading"),
        ("Rainforest Alliance", "4C", "C.A.F.E. Practices", "Organic (EU)"),
    ),
    Origin(
        "RW", "Rwanda", 5, "RWF",
        _fx("787", "832", "861", "900", "943", "988", "1030", "1160", "1315", "1430"),
        "National Bank of Rwanda", KG.name, KG.kg, Basis.CHERRY, ("5.5", "6.2"),
        60, 0.58, (3, 4, 5, 6, 7),
        (("washing_station", 60), ("cooperative", 35), ("farm", 5)), "rw",
        (
            Region("Western Province", ("Nyamasheke", "Rutsiro", "Karongi", "Rusizi", "Gitesi"),
                   -2.3, 29.2, (1500, 2000), ("Red Bourbon", "Jackson", "Mibirizi"),
                   ("washed", "natural", "honey")),
            Region("Southern Province", ("Huye", "Nyamagabe", "Nyaruguru", "Maraba"),
                   -2.55, 29.6, (1600, 2000), ("Red Bourbon", "Jackson"), ("washed", "natural")),
        ),
        ("Lake Kivu Green Exports", "Hillside Coffee Rwanda"),
        ("Fairtrade", "Rainforest Alliance", "Organic (EU)"),
    ),
    Origin(
        "VN", "Vietnam", 5, "VND",
        _fx("22370", "22720", "23030", "23230", "23210", "23160", "23400", "23800", "25000",
            "26000"),
        "State Bank of Vietnam", KG.name, KG.kg, Basis.GREEN, None,
        60, 0.75, (10, 11, 12, 1),
        (("farm", 60), ("cooperative", 25), ("estate", 15)), "vn",
        (
            Region("Đắk Lắk", ("Buôn Ma Thuột", "Cư M'gar", "Krông Năng", "Ea H'leo"),
                   12.7, 108.05, (400, 800), ("TR4", "TR9", "TRS1"),
                   ("natural", "honey", "washed"), robusta=True),
            Region("Lâm Đồng", ("Cầu Đất", "Lạc Dương", "Đơn Dương", "Bảo Lộc"),
                   11.95, 108.45, (1000, 1650), ("Catimor", "Typica", "Bourbon"),
                   ("washed", "honey", "natural")),
        ),
        ("Tây Nguyên Coffee Trading", "Highland Bean Export"),
        ("4C", "Rainforest Alliance", "Organic (EU)"),
    ),
    Origin(
        "CR", "Costa Rica", 7, "CRC",
        _fx("544", "567", "577", "587", "585", "620", "647", "545", "515", "505"),
        "Banco Central de Costa Rica", "fanega (258 kg cherry)", Decimal(258), Basis.CHERRY,
        ("5.4", "5.8"), 69, 0.70, (11, 12, 1, 2, 3),
        (("farm", 45), ("washing_station", 30), ("estate", 15), ("cooperative", 10)), "es",
        (
            Region("Tarrazú", ("San Marcos", "Santa María de Dota", "León Cortés", "San Lorenzo",
                               "Llano Bonito"), 9.65, -84.0, (1200, 1900),
                   ("Caturra", "Catuai", "Villa Sarchi", "Geisha", "SL28"),
                   ("honey", "washed", "natural", "anaerobic")),
            Region("West Valley", ("Naranjo", "Palmares", "Sarchí", "Lourdes"), 10.1, -84.4,
                   (1200, 1700), ("Villa Sarchi", "Caturra", "Catuai", "Geisha"),
                   ("honey", "washed", "natural")),
        ),
        ("Tarrazú Micro-mill Exports", "Pacífico Green Coffee"),
        ("Rainforest Alliance", "C.A.F.E. Practices", "Organic (USDA)"),
    ),
    Origin(
        "UG", "Uganda", 4, "UGX",
        _fx("3420", "3610", "3730", "3700", "3720", "3590", "3690", "3730", "3770", "3650"),
        "Bank of Uganda", KG.name, KG.kg, Basis.PARCHMENT, ("1.24", "1.30"),
        60, 0.60, (9, 10, 11, 12, 1),
        (("washing_station", 35), ("cooperative", 40), ("farm", 25)), "ug",
        (
            Region("Mount Elgon", ("Mbale", "Kapchorwa", "Bulambuli", "Sipi", "Bududa"),
                   1.15, 34.35, (1600, 2200), ("SL14", "SL28", "Nyasaland", "Bugisu local"),
                   ("washed", "natural")),
            Region("Central (robusta)", ("Masaka", "Mityana", "Mubende", "Luweero"),
                   0.35, 31.9, (1100, 1400), ("Nganda", "Erecta", "Clonal robusta"),
                   ("natural", "washed"), robusta=True),
        ),
        ("Elgon Green Coffee Exporters", "Nile Valley Coffee"),
        ("Fairtrade", "Organic (EU)", "4C", "Rainforest Alliance"),
        robusta_unit=(KG.name, KG.kg, Basis.GREEN),
    ),
)

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "es": (
        ("María", "José", "Luis", "Carmen", "Ana", "Carlos", "Jorge", "Rosa", "Elena", "Miguel",
         "Fernando", "Luz Marina", "Diego", "Sandra", "Édgar", "Yolanda", "Wilson", "Nelly",
         "Óscar", "Gloria", "Rubén", "Marleny", "Arnulfo", "Doris", "Héctor", "Aurora", "Fabio",
         "Blanca", "Aníbal", "Esperanza", "Ramiro", "Yaneth"),
        ("Gómez", "Rodríguez", "Martínez", "López", "Hernández", "Pérez", "Muñoz", "Rojas",
         "Vargas", "Castro", "Ortiz", "Quintero", "Cruz", "Ramírez", "Morales", "Chávez", "Solís",
         "Mejía", "Núñez", "Orellana", "Villatoro", "Argueta", "Huamán", "Quispe", "Calderón",
         "Ureña", "Jiménez", "Mora", "Bermúdez", "Paz", "Cerón", "Molina"),
    ),
    "pt": (
        ("João", "Maria", "Antônio", "Ana", "Francisco", "Lúcia", "Paulo", "Cláudia", "José",
         "Fernanda", "Marcos", "Renata", "Sebastião", "Helena", "Luiz", "Juliana"),
        ("Silva", "Souza", "Oliveira", "Pereira", "Carvalho", "Ribeiro", "Junqueira", "Almeida",
         "Rezende", "Andrade", "Teixeira", "Barbosa", "Vilela", "Figueiredo"),
    ),
    "et": (
        ("Abebe", "Tigist", "Mulugeta", "Alemitu", "Tesfaye", "Birtukan", "Getachew", "Almaz",
         "Dawit", "Meseret", "Kebede", "Hirut", "Tadesse", "Aster", "Bekele", "Fikirte", "Girma",
         "Worku", "Tsehay", "Yohannes"),
        ("Gemechu", "Haile", "Desta", "Tola", "Abdi", "Guye", "Dukale", "Shumi", "Wako", "Boru",
         "Tadesse", "Bekele", "Alemu", "Kebede", "Woldemariam", "Hussen"),
    ),
    "ke": (
        ("James", "Mary", "Peter", "Grace", "John", "Jane", "Samuel", "Lucy", "Joseph", "Esther",
         "David", "Wanjiru", "Njeri", "Wambui", "Stephen", "Purity"),
        ("Kamau", "Mwangi", "Njoroge", "Wanjiku", "Kariuki", "Muriuki", "Gachanja", "Maina",
         "Ndung'u", "Wachira", "Kiragu", "Gitonga", "Muthoni", "Githinji"),
    ),
    "rw": (
        ("Jean Bosco", "Marie Claire", "Emmanuel", "Claudine", "Théogène", "Épiphanie",
         "Jean Pierre", "Aline", "Innocent", "Vestine", "Faustin", "Josiane"),
        ("Uwimana", "Niyonzima", "Mukamana", "Habimana", "Nsengiyumva", "Uwase", "Ndayisaba",
         "Mukeshimana", "Hakizimana", "Nyirahabimana"),
    ),
    "vn": (
        ("Văn An", "Thị Hoa", "Văn Bình", "Thị Lan", "Đức Hùng", "Minh Tuấn", "Thị Mai",
         "Hữu Phúc", "Thị Thảo", "Văn Long", "Thị Hương", "Minh Dũng"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
    ),
    "ug": (
        ("Moses", "Sarah", "Robert", "Agnes", "Isaac", "Florence", "Patrick", "Juliet",
         "Godfrey", "Rose", "Simon", "Betty"),
        ("Wamala", "Nabutono", "Mafabi", "Wanyenya", "Masaba", "Nandutu", "Kibet", "Chemutai",
         "Mugoya", "Wandera", "Namono", "Kiprotich"),
    ),
}

FARM_WORDS = {
    "es": ("La Esperanza", "El Mirador", "Las Nubes", "El Paraíso", "La Cumbre", "Buenos Aires",
           "San José", "El Diamante", "La Palma", "Santa Rosa", "El Roble", "Los Naranjos",
           "La Primavera", "El Porvenir", "Monte Verde", "La Loma", "El Encanto", "Villa Rica",
           "La Estrella", "Bella Vista", "El Guayabo", "Los Alpes", "La Montañita", "El Arrayán",
           "San Isidro", "La Victoria", "El Naranjal", "Las Flores", "El Retiro", "La Reserva",
           "Alto de los Ángeles", "El Cedral", "La Florida", "Santa Teresa", "El Volcán",
           "Las Margaritas", "Piedra Blanca", "El Manantial", "La Ceiba", "Los Pinos",
           "El Mirto", "La Pradera", "Las Brisas", "El Jardín", "La Granja", "El Tesoro",
           "La Aurora", "Los Cerezos", "El Ocaso", "La Sierra", "El Filo", "La Quebrada",
           "Las Palmas", "El Mortiño", "La Trinidad", "Agua Blanca", "El Morro", "Campo Alegre"),
    "pt": ("Santa Inês", "Boa Vista", "Esperança", "São Bento", "Bela Vista", "Santa Lúcia",
           "Serra Negra", "Sertãozinho", "Campo Alegre", "Recreio", "Bom Jardim", "Cachoeira",
           "Três Barras", "São Sebastião", "Rio Verde", "Monte Alegre", "Pinhal", "Ipanema"),
    "vn": ("Cầu Đất", "Đồi Thông", "Suối Mơ", "Sương Mai", "Hoa Sữa", "Đất Đỏ", "Núi Xanh",
           "Thác Voi", "Ban Mê", "Hồ Lắk"),
    "other": ("Highlands", "Hillside", "Riverside", "Green Valley", "Sunrise", "Mist Ridge",
              "Blue Hill", "Forest Edge", "Crater View", "Spring Valley"),
}

COOP_WORDS = ("Flor del Café", "Nueva Esperanza", "Café del Sur", "Los Andes",
              "Mujeres Cafeteras", "Frontera Verde", "Montaña Verde", "El Progreso",
              "Sol y Café", "Alto Cielo", "Nuevo Amanecer", "Unión Cafetalera", "Tierra Nuestra",
              "Café de Altura")

BUYERS = ("Lena Hoffmann", "Tom Becker", "Sofia Marino", "Jonas Berg")
IMPORTERS = ("Kestrel Green Coffee Imports", "Lighthouse Coffee Trading",
             "Meridian Green Importers", "Northport Green Coffee")

FLAVOURS = (
    "jasmine", "bergamot", "lemon zest", "peach", "apricot", "red currant", "blackcurrant",
    "raspberry", "strawberry", "cherry", "plum", "grape", "blueberry", "tamarind", "panela",
    "brown sugar", "molasses", "milk chocolate", "dark chocolate", "cocoa nib", "hazelnut",
    "almond", "caramel", "honey", "orange blossom", "black tea", "lime", "grapefruit",
    "tropical fruit", "passion fruit", "mango", "pineapple", "rose", "hibiscus", "cinnamon",
    "clove", "tomato", "rhubarb", "fig", "date", "toffee", "vanilla", "green apple", "melon",
)

NOTE_OPENINGS = {
    "relationship": (
        "Walked the farm with {person}; the family has run it for three generations.",
        "Long conversation with {person} about the coming harvest and the family's plans.",
        "Visited {place} with the exporter's field officer; {person} received us at the house.",
        "Annual relationship visit: reviewed last year's lots and prices with {person}.",
        "Met the board and {person} at the collection centre in {place}.",
    ),
    "quality": (
        "Cupped {n} samples on the table in {place}; best cups showed {flavour} and {flavour2}.",
        "Quality visit: the {variety} lot tasted of {flavour}, clean and sweet, about {score}.",
        "Calibrated cupping with the local Q grader; the {process} lots were the standouts.",
        "Pre-shipment sample of the {variety} lot scored {score}; {flavour} and a long finish.",
        "Reviewed fermentation logs for the {process} lots: {hours} h in tanks at {temp} °C.",
    ),
    "audit": (
        "Audit visit against our sourcing code; walked workers' housing and the wet mill.",
        "Checked pay records for {n} seasonal pickers against the local minimum wage.",
        "Reviewed the wastewater system and the pulp composting area with {person}.",
        "Unannounced visit during picking; spoke with pickers without managers present.",
    ),
    "training": (
        "Training day on selective picking with {n} members; only ripe red cherry accepted.",
        "Workshop on drying: raised beds, layer depth and turning every hour.",
        "Agronomist led a session on leaf rust control and shade management.",
        "Hands-on session on moisture meters and keeping drying logs.",
    ),
    "contract": (
        "Agreed the contract for the {year} harvest: {bags} bags of the {variety} lot.",
        "Discussed price to be fixed against the {month} contract; {person} prefers fixing early.",
        "Negotiated the differential for the {process} lots and a second payment after arrival.",
        "Signed a three-year commitment letter with {person}; volume and price floor agreed.",
    ),
}

NOTE_OBSERVATIONS = (
    "Drying beds were full; parchment at about {moisture} % moisture.",
    "Rain in the last two weeks slowed drying; some lots moved to the solar dryer.",
    "Leaf rust (roya) visible on the older {variety} trees on the lower slopes.",
    "Coffee berry borer (broca) pressure lower than last year thanks to traps.",
    "New {variety} plants in the nursery, about {n} seedlings ready for renovation.",
    "Shade trees (inga, banana, avocado) cover roughly {pct} % of the main plot.",
    "The wet mill recirculates water now; wastewater goes to two settling ponds.",
    "Pulp is composted under cover and returned to the plots after four months.",
    "Pickers are paid per kilo of cherry, above the local minimum day wage by their account.",
    "No children seen working; the school in {place} runs during the harvest.",
    "Safety gear for spraying stored in a locked shed; masks and gloves available.",
    "Labour shortage at the peak of the harvest; cherry left on the trees for a week.",
    "Drought stress on the eastern plot; flowering was uneven this year.",
    "Road to {place} washed out; cherry carried by mule to the collection point.",
    "Cherry floated and hand-sorted before pulping; floaters sold separately.",
    "Fermentation in tiled tanks, {hours} h; temperature logged twice a day.",
    "Anaerobic trial in sealed barrels, {hours} h, with pH measured every morning.",
    "Members complained about late payments from the previous buyer.",
    "Young producers' group is separating lots by plot and altitude.",
    "Birds and epiphytes everywhere in the upper plot; the forest edge is protected.",
    "Agrochemical use limited to copper fungicide; no glyphosate on the farm.",
    "Solar dryer built with last year's premium is working well.",
    "Cupping lab at the cooperative now has a roaster and a moisture meter.",
    "Women's association presented their separate lot of {variety}.",
    "Altitude of the highest plot measured at {alt} masl.",
    "Frost damage on exposed rows after the cold night in July.",
    "Price of fertiliser doubled; some members reduced applications.",
    "Transport to the dry mill in {place} takes six hours.",
)

NOTE_CLOSINGS = (
    "Next step: send cupping notes and a price proposal.",
    "Will share photos and the visit report with the exporter.",
    "Plan to return before the next harvest.",
    "Agreed to keep the lots separated by plot again next year.",
    "Asked for plot coordinates for the EU due-diligence statement.",
    "They asked for a pre-financing advance before picking starts.",
    "Promised feedback from our customers on last year's lot.",
    "Discussed a project for a second drying patio.",
    "",
)

REMOTE_NOTES = (
    "Call with {person}: harvest is {pct} % picked, quality looks good so far.",
    "Video call to taste the {variety} samples together; we agreed on {flavour} as the lead note.",
    "Messages with {person} about the shipment date from {port}.",
    "Call about the price fixation against the {month} contract.",
    "{person} sent photos of the new drying beds and the moisture readings.",
    "Video call with the cooperative board about the second payment to members.",
    "Call: heavy rains in {place}, drying delayed by about two weeks.",
    "Message: samples of {n} lots shipped by courier for pre-shipment approval.",
    "Call to explain the customer feedback on the {process} lot.",
)

OBSERVATION_NOTES = {
    "worker_housing": ("Dormitory for {n} pickers with beds, water and latrines.",
                       "Pickers stay with families in the village; no housing on the farm.",
                       "Housing repaired since last visit; kitchen still shared."),
    "pay_vs_minimum": ("Pickers paid per kg; a good day is above the legal minimum wage.",
                       "Permanent workers paid the legal minimum plus meals.",
                       "Pay slips shown for {n} workers; all above the minimum."),
    "child_labour": ("No children seen in the plots; school in session.",
                     "Children of pickers stay at the day-care run by the cooperative."),
    "safety_equipment": ("Gloves, masks and boots available for spraying.",
                         "No masks at the fertiliser store; discussed."),
    "shade": ("About {pct} % shade from inga, banana and avocado.",
              "Full sun on the lower plot, native trees on the upper one.",
              "New shade trees planted along the contour lines."),
    "water_use": ("Eco-pulper uses about {n} litres of water per kg of parchment.",
                  "Water from the spring, metered since this year.",
                  "Dry pulping, water only for washing after fermentation."),
    "wastewater": ("Two settling ponds before the water returns to the stream.",
                   "Wastewater goes to an infiltration pit; works in the dry season only.",
                   "Vetiver filter installed after the wet mill."),
    "composting": ("Pulp composted with lime and returned to the plots.",
                   "Pulp heaps uncovered; smell near the house.",
                   "Vermicompost beds, about {n} tonnes a year."),
    "agrochemicals": ("Copper fungicide only; herbicides stopped.",
                      "Synthetic fertiliser twice a year, records kept.",
                      "Organic inputs only (certified)."),
    "biodiversity": ("Forest reserve of about {pct} % of the farm, with a spring.",
                     "Birds counted with the local school: {n} species.",
                     "Hedges of native trees between plots."),
    "processing_drying": ("Raised beds, drying 12–18 days to 11 % moisture.",
                          "Patio drying, parchment turned every hour.",
                          "Mechanical dryer for the rainy weeks, guardiola at 40 °C."),
    "infrastructure": ("Needs a covered drying area for the rainy season.",
                       "Road to the farm impassable after heavy rain.",
                       "Asked for a second fermentation tank."),
}

ISSUE_NOTES = frozenset({
    "No masks at the fertiliser store; discussed.",
    "Pulp heaps uncovered; smell near the house.",
    "Wastewater goes to an infiltration pit; works in the dry season only.",
})
"""Demo notes that describe an issue found: an observation with one is recorded as such."""

PORTS = {"CO": "Buenaventura", "ET": "Djibouti", "KE": "Mombasa", "GT": "Santo Tomás",
         "HN": "Puerto Cortés", "PE": "Paita", "BR": "Santos", "RW": "Mombasa",
         "VN": "Ho Chi Minh City", "CR": "Limón", "UG": "Mombasa"}

FOLLOW_UPS = (
    "Send cupping notes for the {variety} samples",
    "Share pre-shipment sample results with {person}",
    "Confirm the quote for raised drying beds",
    "Check the wastewater filter after the rains",
    "Send the contract draft for the {year} harvest",
    "Follow up on the soil analysis results",
    "Confirm the second payment reached the members",
    "Arrange a training day on selective picking",
    "Request the renewed certificate",
    "Collect plot coordinates for the EUDR statement",
    "Ask for farm-gate payment receipts",
    "Send customer feedback on last year's lot",
    "Order a moisture meter for the collection centre",
    "Visit the new plot planted with {variety}",
)

PROJECTS = {
    "processing equipment": ("New eco-pulper for the wet mill", "Stainless fermentation tanks",
                             "Moisture meter and scale for the collection centre"),
    "drying beds": ("Twenty raised drying beds with shade net", "Solar dryer (parabolic)",
                    "Second concrete patio with covers"),
    "training": ("Cupping lab training for young producers", "Selective picking workshops",
                 "Record-keeping and farm-gate price transparency course"),
    "water": ("Wastewater settling ponds", "Rainwater tank for the school",
              "Drip irrigation trial on the lower plot"),
    "health": ("First-aid kits and training for pickers", "Contribution to the village clinic"),
    "education": ("School supplies for members' children", "Scholarships for agronomy students"),
    "renovation": ("Seedlings for renovating old plots", "Nursery for rust-resistant varieties"),
    "other": ("Road repair to the collection point", "Community solar lighting"),
}

STORIES = (
    "{producer} sits at {alt} masl above {place}, {region}. {person} picks only ripe cherry and "
    "dries this lot on raised beds.",
    "This {variety} comes from {producer} in {place}. The lot is separated by plot and processed "
    "{process}.",
    "{producer} in {region} is one of our longest relationships. Premiums paid on top of the "
    "price went into {project}.",
    "A {process} lot from smallholders delivering cherry to {producer} near {place}.",
)

QUOTES = (
    "A fair price lets us plan the next harvest, not only this one.",
    "We separate every plot now; the buyers taste the difference.",
    "The drying beds changed our quality more than anything else.",
    "When the price is known before picking, we can pay the pickers better.",
    "Our children see a future in coffee again.",
)
