"""The 34 counties (شهرستان) of Khorasan Razavi: stable ASCII codes, names, seats and recent splits.

Source: ../shared/source/counties.md. A county split off from a parent counts with its own data from the
first full Jalali year after its creation (``first_year``); earlier data names only the parent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    code: str
    name_fa: str
    name_en: str
    seat_en: str
    lat: float
    lon: float
    parent_code: str | None = None
    established_jy: int | None = None

    @property
    def first_year(self) -> int | None:
        """First Jalali year in which the county has data of its own."""
        return None if self.established_jy is None else self.established_jy + 1


COUNTIES: tuple[County, ...] = (
    County("MSH", "مشهد", "Mashhad", "Mashhad", 36.30, 59.61),
    County("NEY", "نیشابور", "Neyshabur", "Neyshabur", 36.21, 58.79),
    County("SBZ", "سبزوار", "Sabzevar", "Sabzevar", 36.21, 57.68),
    County("TRH", "تربت حیدریه", "Torbat-e Heydarieh", "Torbat-e Heydarieh", 35.27, 59.22),
    County("QUC", "قوچان", "Quchan", "Quchan", 37.11, 58.51),
    County("KSH", "کاشمر", "Kashmar", "Kashmar", 35.24, 58.46),
    County("TRJ", "تربت جام", "Torbat-e Jam", "Torbat-e Jam", 35.24, 60.63),
    County("CHN", "چناران", "Chenaran", "Chenaran", 36.65, 59.12),
    County("FRM", "فریمان", "Fariman", "Fariman", 35.70, 59.85),
    County("TYB", "تایباد", "Taybad", "Taybad", 34.74, 60.78),
    County("DRG", "درگز", "Dargaz", "Dargaz", 37.45, 59.11),
    County("KHF", "خواف", "Khaf", "Khaf", 34.57, 60.14),
    County("GNB", "گناباد", "Gonabad", "Gonabad", 34.35, 58.68),
    County("SRK", "سرخس", "Sarakhs", "Sarakhs", 36.54, 61.16),
    County("BRD", "بردسکن", "Bardaskan", "Bardaskan", 35.26, 57.97),
    County("RSH", "رشتخوار", "Roshtkhar", "Roshtkhar", 34.98, 59.62),
    County("KLT", "کلات", "Kalat", "Kalat", 37.00, 59.76),
    County("KHL", "خلیل\u200cآباد", "Khalilabad", "Khalilabad", 35.25, 58.29),
    County("MHV", "مه\u200cولات", "Mahvelat", "Feyzabad", 35.02, 58.79),
    County("TQS", "طرقبه شاندیز", "Torqabeh-Shandiz", "Torqabeh", 36.31, 59.37),
    County("BKZ", "باخرز", "Bakharz", "Bakharz", 34.99, 60.31),
    County("ZVH", "زاوه", "Zaveh", "Dowlatabad", 35.28, 59.52),
    County("JGT", "جغتای", "Joghatai", "Joghatai", 36.64, 57.07),
    County("JWN", "جوین", "Jowayin", "Neqab", 36.71, 57.41),
    County("KSB", "خوشاب", "Khoshab", "Soltanabad", 36.41, 58.04),
    County("SLH", "صالح\u200cآباد", "Salehabad", "Salehabad", 35.69, 61.09),
    County("FRZ", "فیروزه", "Firuzeh", "Firuzeh", 36.29, 58.59),
    County("BJS", "بجستان", "Bajestan", "Bajestan", 34.52, 58.18),
    County("DVZ", "داورزن", "Davarzan", "Davarzan", 36.35, 56.88),
    County("KHS", "کوهسرخ", "Kuhsorkh", "Rivash", 35.48, 58.46, "KSH", 1401),
    County("SHT", "ششتمد", "Sheshtamad", "Sheshtamad", 35.96, 57.77, "SBZ", 1399),
    County("ZBK", "زبرخان", "Zeberkhan", "Qadamgah", 36.11, 59.06, "NEY", 1399),
    County("GLB", "گلبهار", "Golbahar", "Golbahar", 36.57, 59.18, "CHN", 1401),
    County("MJG", "میان\u200cجلگه", "Miyan Jolgeh", "Eshqabad", 36.04, 58.68, "NEY", 1401),
)

BY_CODE: dict[str, County] = {c.code: c for c in COUNTIES}
