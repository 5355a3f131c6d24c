"""Names of fictitious people, organizations, vessels and licence plates: common given and
family names, trade words and plate formats, combined at random so that no real person is
described."""

from __future__ import annotations

import random
import unicodedata

# (given names, family names, nationalities, weight for subjects, weight for US members,
#  weight for Canadian members)
NAME_GROUPS: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int, int, int]] = [
    (("James", "Michael", "Robert", "David", "William", "Richard", "Joseph", "Thomas", "Christopher",
      "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kevin", "Brian", "Ryan",
      "Jason", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
      "Sarah", "Karen", "Lisa", "Nancy", "Emily", "Ashley", "Amanda", "Melissa", "Rebecca", "Laura",
      "Megan", "Rachel", "Tyler", "Brandon", "Kyle", "Shawn", "Dustin", "Heather", "Kristen", "Dana"),
     ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
      "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
      "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
      "Carter", "Mitchell", "Roberts", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart",
      "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell",
      "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray",
      "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Olsen", "Larson", "Lindqvist"),
     ("United States", "United States", "United States", "Canada"), 40, 62, 45),
    (("José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Jesús", "Francisco",
      "Alejandro", "Ricardo", "Eduardo", "Fernando", "Roberto", "Sergio", "Raúl",
      "Javier", "Mario", "Óscar", "María", "Guadalupe", "Ana", "Rosa", "Carmen",
      "Lucía", "Verónica", "Gabriela", "Adriana", "Patricia", "Alejandra", "Daniela"),
     ("García", "Hernández", "Martínez", "López", "González", "Rodríguez", "Pérez", "Sánchez",
      "Ramírez", "Flores", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Jiménez", "Ruiz", "Díaz",
      "Vásquez", "Castillo", "Romero", "Mendoza", "Aguilar", "Torres", "Rivera", "Salazar", "Navarro",
      "Delgado", "Ramos", "Chávez", "Medina", "Vargas", "Castro", "Guzmán", "Herrera", "Cervantes"),
     ("Mexico", "Mexico", "Mexico", "Guatemala", "Honduras",
      "El Salvador", "Colombia", "United States"), 24, 22, 3),
    (("Wei", "Jun", "Li", "Mei", "Hui", "Jian", "Xin", "Yan", "Hao", "Ling", "Bo", "Lei", "Ying", "Qiang"),
     ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Lin"),
     ("China", "China", "Canada", "United States", "Taiwan"), 8, 3, 10),
    (("Minh", "Anh", "Tuan", "Linh", "Hung", "Thanh", "Duc", "Lan", "Hoa", "Quang", "Trang", "Khanh"),
     ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ngo", "Duong"),
     ("Vietnam", "Vietnam", "Canada", "United States"), 6, 3, 5),
    (("Harpreet", "Gurpreet", "Manpreet", "Jaspreet", "Amrit", "Rajinder", "Sandeep",
      "Navjot", "Kulwinder", "Baljit", "Priya", "Arjun", "Ravi", "Sunita"),
     ("Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Sidhu",
      "Brar", "Grewal", "Sharma", "Patel", "Mann", "Johal"),
     ("India", "Canada", "Canada", "United States"), 7, 3, 14),
    (("Dmitri", "Sergei", "Oleksandr", "Natalia", "Irina", "Andrei",
      "Yulia", "Pavel", "Viktor", "Olga", "Mikhail", "Tatiana"),
     ("Ivanov", "Petrov", "Kovalenko", "Shevchenko", "Popov", "Smirnov",
      "Bondarenko", "Volkov", "Morozov", "Novak", "Kuznetsov", "Melnyk"),
     ("Russia", "Ukraine", "Canada", "United States", "Moldova"), 5, 2, 4),
    (("Omar", "Ahmed", "Youssef", "Karim", "Layla", "Mariam",
      "Hassan", "Samir", "Nadia", "Tariq", "Rami", "Dina"),
     ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Hamdan",
      "Aziz", "Farah", "Rahman", "Darwish", "Issa", "Khoury"),
     ("Lebanon", "Jordan", "Egypt", "Canada", "United States"), 5, 3, 5),
    (("Jean-François", "Marc-André", "Mathieu", "Geneviève", "Sébastien", "Isabelle",
      "Étienne", "Chantal", "Luc", "Nathalie", "Pierre", "Sophie", "Mélanie", "François"),
     ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin",
      "Lavoie", "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque"),
     ("Canada",), 5, 2, 14),
]

MONIKERS = ("Flaco", "Güero", "Junior", "Tiny", "Ghost", "Smoke", "Doc", "Primo", "Red", "Slim", "Lucky",
            "Tito", "Chino", "Professor", "Shorty", "Boss", "Canuck", "Sparky", "Gordo")
ORG_PREFIXES = ("Cascadia", "Northern Star", "Pacific Rim", "Great Lakes", "Blue Water", "Harbor Point",
                "Evergreen", "Summit Ridge", "Maple Leaf", "Silver Bay", "Golden Horizon", "Lakeshore",
                "Twin Rivers", "Frontier", "Northgate", "Red Cedar", "Ironwood", "Eastbridge", "Westport",
                "Coastal", "Highland", "Prairie Wind", "Riverside", "Borealis", "Salish Sea", "Tri-County")
ORG_TRADES = ("Freight", "Logistics", "Trading", "Import Export", "Transport", "Auto Sales", "Marine Supply",
              "Distributors", "Holdings", "Wholesale", "Trucking", "Customs Brokerage", "Money Services",
              "Seafood", "Tire", "Electronics", "Packaging", "Charters", "Building Supply", "Foods")
ORG_SUFFIXES = ("LLC", "Inc.", "Ltd.", "Corp.", "Co.", "Group", "S.A. de C.V.", "Enterprises")
VESSEL_WORDS_A = ("Northern", "Silver", "Lucky", "Blue", "Sea", "Salish", "Island", "Midnight", "Golden",
                  "Wild", "Morning", "Ocean", "Lake", "Misty", "Iron", "Restless")
VESSEL_WORDS_B = ("Dawn", "Tide", "Heron", "Wolf", "Rover", "Star", "Osprey", "Runner", "Spirit", "Lady",
                  "Dream", "Current", "Raven", "Otter", "Breeze", "Venture")
PLATE_FORMATS = {"WA": "LLLDDDD", "OR": "DDDLLL", "ID": "LDDDDDD", "MT": "DLLDDDD", "MI": "LLLDDDD",
                 "OH": "LLLDDDD", "NY": "LLLDDDD", "PA": "LLLDDDD", "VT": "LLLDDD", "BC": "LLDDDL",
                 "AB": "LLLDDDD", "ON": "LLLLDDD", "QC": "LDDLLL"}


def to_ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def person_name(rng: random.Random, group: tuple) -> tuple[str, str]:
    """(given name, family name) from a group of NAME_GROUPS."""
    given, family = rng.choice(group[0]), rng.choice(group[1])
    if group is NAME_GROUPS[1] and rng.random() < 0.3:  # many Hispanic names carry two family names
        family = f"{family} {rng.choice(group[1])}"
    return given, family
