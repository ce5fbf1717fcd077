"""The data model: every table, its columns (machine name, Persian header, type, unit), enums and natural key.

This is the single definition that the snapshot store, the demo generator, the importer and the README use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

SCHEMA_VERSION = 1

# Enumerations: machine value -> Persian label. Kept here so import, UI and exports agree.
INCENTIVE_KINDS = {
    "employer_share": "بیمه سهم کارفرمایی",
    "self_employment": "بیمه خویش‌فرمایی",
    "efficiency_subsidy": "یارانه ارتقاء کارایی",
}
INCENTIVE_PURPOSES = {"stabilisation": "تثبیت", "creation": "ایجادی"}
SE_STAGES = {
    1: "جذب و مشارکت مددجو",
    2: "ارزیابی حرفه‌ای",
    3: "کاریابی",
    4: "تعامل با کارفرما",
    5: "حمایت در محیط کار و بیرون آن",
}
DISABILITY_TYPES = {
    "physical": "جسمی‌حرکتی",
    "intellectual": "ذهنی",
    "visual": "بینایی",
    "hearing": "شنوایی",
    "autism": "طیف اوتیسم",
    "psychosocial": "اعصاب و روان",
}
GENDERS = {"female": "زن", "male": "مرد"}
LOAN_KINDS = {"creation": "ایجاد", "development": "توسعه", "stabilisation": "تثبیت"}
MONITORING_MODES = {"in_person": "حضوری", "remote": "غیرحضوری"}
MONITORING_OUTCOMES = {
    "active": "فعال",
    "inactive": "غیرفعال",
    "changed": "تغییر فعالیت",
    "not_found": "یافت نشد",
}


@dataclass(frozen=True)
class Column:
    name: str
    label_fa: str
    type: pa.DataType
    required: bool = True
    unit: str = ""
    enum: dict | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    label_fa: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    doc: str = ""
    importable: bool = True
    col_by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "col_by_name", {c.name: c for c in self.columns})

    @property
    def arrow_schema(self) -> pa.Schema:
        """The exact parquet schema every snapshot stores for this table."""
        return pa.schema([pa.field(c.name, c.type, nullable=not c.required) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


COUNTY = Column("county_code", "شهرستان", pa.string(), doc="county code from the counties table")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "counties",
            "شهرستان‌ها",
            (
                Column("code", "کد", pa.string(), doc="stable ASCII code"),
                Column("name_fa", "نام", pa.string()),
                Column("name_en", "نام لاتین", pa.string()),
                Column("seat_en", "مرکز شهرستان", pa.string()),
                Column("lat", "عرض جغرافیایی", pa.float64(), unit="degree"),
                Column("lon", "طول جغرافیایی", pa.float64(), unit="degree"),
                Column("parent_code", "شهرستان مادر", pa.string(), required=False),
                Column("established_jy", "سال تأسیس", pa.int16(), required=False, doc="Jalali year of the split"),
            ),
            key=("code",),
            doc="The province's 34 counties; a split county has data of its own from the year after it was created.",
            importable=False,
        ),
        Table(
            "targets",
            "اهداف",
            (
                Column("year", "سال", pa.int16(), doc="Jalali year"),
                Column("county_code", "شهرستان", pa.string(), required=False, doc="empty = the whole province"),
                Column("indicator", "شاخص", pa.string(), doc="a metric key, e.g. se_stabilised"),
                Column("target", "هدف", pa.float64()),
            ),
            key=("year", "county_code", "indicator"),
            doc="Targets per Jalali year and indicator; a province row (empty county) wins over the county sum.",
        ),
        Table(
            "se_clients",
            "مددجویان مراکز پشتیبانی شغلی",
            (
                Column("client_id", "شناسه مددجو", pa.string(), doc="pseudonymous"),
                COUNTY,
                Column("centre", "مرکز", pa.string()),
                Column("enrolled_on", "تاریخ پذیرش", pa.date32()),
                Column("stage", "مرحله", pa.int8(), enum=SE_STAGES),
                Column("placed_on", "تاریخ اشتغال", pa.date32(), required=False),
                Column("stabilised_on", "تاریخ تثبیت", pa.date32(), required=False),
                Column("disability_type", "نوع معلولیت", pa.string(), enum=DISABILITY_TYPES),
                Column("gender", "جنسیت", pa.string(), enum=GENDERS),
            ),
            key=("client_id",),
            doc="Supported-employment (SE) clients; only a stabilised job counts toward the target.",
        ),
        Table(
            "incentives",
            "مشوق‌های بیمه‌ای",
            (
                COUNTY,
                Column("year", "سال", pa.int16()),
                Column("month", "ماه", pa.int8()),
                Column("kind", "نوع مشوق", pa.string(), enum=INCENTIVE_KINDS),
                Column("purpose", "هدف مشوق", pa.string(), enum=INCENTIVE_PURPOSES),
                Column("beneficiaries", "تعداد بهره‌مند", pa.int32(), unit="people"),
                Column("amount_rials", "مبلغ (ریال)", pa.int64(), unit="rial"),
            ),
            key=("county_code", "year", "month", "kind", "purpose"),
            doc="Insurance-incentive beneficiaries per county, Jalali month, kind and purpose.",
        ),
        Table(
            "centre_employment",
            "اشتغال از طریق مراکز دارای مجوز",
            (
                Column("centre", "مرکز", pa.string()),
                COUNTY,
                Column("year", "سال", pa.int16()),
                Column("month", "ماه", pa.int8()),
                Column("clients_employed", "مددجویان شاغل‌شده", pa.int32(), unit="people"),
                Column("family_employed", "اعضای خانواده شاغل‌شده", pa.int32(), unit="people"),
                Column("graduates", "از این میان دانش‌آموختگان دانشگاهی", pa.int32(), unit="people"),
            ),
            key=("centre", "year", "month"),
            doc="People employed through licensed (placement / service) centres per centre and Jalali month.",
        ),
        Table(
            "loans",
            "تسهیلات اشتغال‌زایی",
            (
                Column("project_id", "شناسه طرح", pa.string()),
                COUNTY,
                Column("approved_on", "تاریخ تصویب", pa.date32()),
                Column("amount_rials", "مبلغ (ریال)", pa.int64(), unit="rial"),
                Column("planned_jobs", "اشتغال پیش‌بینی‌شده", pa.int32(), unit="jobs"),
                Column("kind", "نوع طرح", pa.string(), enum=LOAN_KINDS),
            ),
            key=("project_id",),
            doc="Employment-facilitation loans, one row per funded project.",
        ),
        Table(
            "monitoring",
            "پایش طرح‌ها",
            (
                Column("project_id", "شناسه طرح", pa.string()),
                COUNTY,
                Column("mode", "نوع پایش", pa.string(), enum=MONITORING_MODES),
                Column("visited_on", "تاریخ پایش", pa.date32()),
                Column("outcome", "نتیجه", pa.string(), enum=MONITORING_OUTCOMES),
            ),
            key=("project_id", "mode", "visited_on"),
            doc="In-person and remote monitoring visits of loan-funded projects.",
        ),
    )
}

DATA_TABLES = tuple(TABLES)
