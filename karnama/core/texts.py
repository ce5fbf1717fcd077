"""Persian UI text, in one place. Pages and exports take their words from here."""

APP_NAME = "کارنما"
APP_SUBTITLE = "داشبورد شاخص‌های اشتغال بهزیستی خراسان رضوی"
PROVINCE = "کل استان"

PAGE_OVERVIEW = "نمای کلی"
PAGE_SE = "اشتغال حمایت‌شده"
PAGE_INCENTIVES = "مشوق‌های بیمه‌ای"
PAGE_CENTRES_LOANS = "مراکز دارای مجوز و تسهیلات"
PAGE_MONITORING = "پایش طرح‌ها"

FILTER_HEADER = "گزینش"
FILTER_YEAR = "سال"
FILTER_COUNTIES = "شهرستان"
FILTER_COUNTIES_PLACEHOLDER = "کل استان"
FILTER_SNAPSHOT = "نسخهٔ داده (تا تاریخ)"
ACTIVE_MARK = "فعال"
DEMO_BANNER = (
    "دادهٔ نمونه: این ارقام ساختگی‌اند، جز جمع‌های استانی که در خبر منتشر شده است "
    "(مشوق‌های بیمه‌ای و اشتغال از طریق مراکز در سال مرجع، هدف ۱۷۰ نفر اشتغال حمایت‌شده و پوشش پایش در سال بعد)."
)
SNAPSHOT_CAPTION = "دادهٔ نسخهٔ {id} — تا تاریخ {as_of}"
URL_NOTICE = "مقدار «{value}» برای «{field}» در نشانی صفحه معتبر نبود؛ پیش‌فرض به کار رفت."
NO_DATA = "برای این گزینش داده‌ای نیست."
NO_DATA_YEAR = "برای {where} در سال {year} داده‌ای ثبت نشده است."
LOADING = "در حال بارگذاری…"

TARGET = "هدف"
OF_TARGET = "{pct} از هدف {target}"
PACE = "سپری‌شده از سال: {elapsed}"
NO_TARGET = "بدون هدف"

RANK_TITLE = "شهرستان‌ها به ترتیب پیشرفت اشتغال حمایت‌شده نسبت به هدف"
RANK_COUNTY = "شهرستان"
RANK_ACHIEVED = "تثبیت‌شده"
RANK_TARGET = "هدف"
RANK_PROGRESS = "پیشرفت"
RANK_STATUS = "وضعیت"

ERROR_NO_SNAPSHOT = "دادهٔ قابل‌نمایشی پیدا نشد."

# ---- dashboard pages --------------------------------------------------------------------------------------
DOWNLOAD_CSV = "دریافت CSV"
DOWNLOAD_XLSX = "دریافت Excel"
TIME_DIRECTION = "زمان از راست به چپ پیش می‌رود (نخستین ماه در سمت راست)."
SKIP_TO_CONTENT = "رفتن به محتوای اصلی"
# Streamlit's own English labels for assistive technology (aria-label, placeholder, title; the skip link's text),
# rewritten in the browser (karnama/web/style.py): exact labels, then labels that begin with a word and go on with
# a name from the page («Help for …», «Remove مشهد»).
A11Y_LABELS = {
    "Skip to main content": SKIP_TO_CONTENT,
    "Sidebar": "نوار کناری",
    "Collapse sidebar": "بستن نوار کناری",
    "Expand sidebar": "باز کردن نوار کناری",
    "Open": "باز کردن فهرست",
    "Close": "بستن فهرست",
    "Selected values": "گزینه‌های انتخاب‌شده",
    "Clear all": "پاک کردن همه",
    "Help": "راهنما",
    "progress": "پیشرفت",
    "Dismiss": "بستن",
    "Show password": "نمایش گذرواژه",
    "Hide password": "پنهان کردن گذرواژه",
    "Choose an option": "یک گزینه را انتخاب کنید",
    "Choose options": "گزینه‌ها را انتخاب کنید",
}
A11Y_PREFIXES = [["Help for ", "راهنمای "], ["Remove ", "حذف "]]
CLICK_TO_FILTER = "برای گزینش یک شهرستان روی آن در نمودار کلیک کنید."
CLICK_TO_FILTER_MAP = "برای گزینش یک شهرستان روی آن در نقشه کلیک کنید."
PROGRESS_HOVER = "{label}: {value} از هدف {target}"
PROGRESS_TARGET_LINE = "هدف"
PROGRESS_TARGET_REACHED = "۱۰۰٪ یعنی هدف سال محقق شد"
PROGRESS_NOTE = (
    "طول هر میله سهمی از هدف خود شهرستان است که محقق شده و رنگ آن وضعیت شهرستان نسبت به برنامه؛ "
    "میله‌ای که به خط‌چین «سپری‌شده از سال» ({pct}) برسد، هم‌پای برنامه است. عقب‌ترین شهرستان‌ها در بالا هستند."
)
PROGRESS_NOTE_CLOSED = (
    "طول هر میله سهمی از هدف سال خود شهرستان است که محقق شد و رنگ آن وضعیت شهرستان؛ "
    "میله‌ای که به خط «هدف» رسیده، هدفش را محقق کرده است. عقب‌ترین شهرستان‌ها در بالا هستند."
)
PROGRESS_WITHOUT_TARGET_SHORT = "بدون هدف شهرستانی (در نمودار نیستند): {names}"
PROGRESS_WITHOUT_TARGET = "بدون هدف شهرستانی (در نمودار نیستند؛ در جدول زیر هستند): {names}"
MAP_TITLE = "نقشهٔ شهرستان‌ها"
MAP_METRIC = "شاخص نقشه"
MAP_SEATS_NOTE = "هر دایره مرکز یک شهرستان است و اندازه و رنگش مقدار شاخص را نشان می‌دهد."
MAP_BOUNDARY_NOTE = "مرز شهرستان‌ها از پروندهٔ تنظیم‌شده خوانده شد؛ رنگ هر شهرستان مقدار شاخص را نشان می‌دهد."
MAP_BOUNDARY_MISSING = "پروندهٔ مرز شهرستان‌ها که در تنظیمات آمده پیدا نشد؛ نقشه با مرکز شهرستان‌ها کشیده شد."
MAP_BOUNDARY_UNMATCHED = "این نام‌ها در پروندهٔ مرز با شهرستان‌های داده جور نشدند: {names}"
COLUMN_COUNTY = "شهرستان"
COLUMN_CENTRE = "مرکز"
COLUMN_MONTH = "ماه"
COLUMN_YEAR = "سال"

SE_RULE = (
    "فقط شغل تثبیت‌شده (با تأمین اعتبار) در هدف سال و هدف شهرستان‌ها شمرده می‌شود؛ به‌کارگماری تا تثبیت نشود شمرده نمی‌شود."
)
SE_FUNNEL = "مراحل اشتغال حمایت‌شده (مددجویان فعال در سال)"
SE_STABILISED_STAGE = "شغل تثبیت‌شده"
SE_BY_COUNTY = "پیشرفت تثبیت اشتغال نسبت به هدف هر شهرستان"
SE_BY_CENTRE = "به تفکیک مرکز پشتیبانی شغلی"
SE_BY_MONTH = "روند ماهانه در سال"
SE_PLACED = "به‌کارگماری"
SE_STABILISED = "تثبیت‌شده"
SE_CUMULATIVE = "تثبیت‌شده (انباشته)"
SE_ENROLLED = "پذیرش"
SE_TARGET_LINE = "هدف سال"
SE_PROGRESS = "پیشرفت"

INC_BY_KIND = "بهره‌مندان به تفکیک نوع مشوق و هدف"
INC_KIND = "نوع مشوق"
INC_PURPOSE = "تثبیت یا ایجاد"  # not «هدف»: that word is the target everywhere else
INC_PEOPLE = "بهره‌مندان"
INC_PEOPLE_PREV = "بهره‌مندان سال قبل"
INC_CHANGE = "تغییر"
INC_AMOUNT = "مبلغ (ریال)"
INC_BY_COUNTY = "بهره‌مندان به تفکیک شهرستان"
INC_BY_YEAR = "روند سال‌به‌سال"
INC_STAB = "تثبیت"
INC_CREATION = "ایجادی"
INC_TOTAL = "جمع"

CEN_TITLE = "اشتغال از طریق مراکز دارای مجوز"
CEN_CLIENTS = "مددجویان"
CEN_FAMILY = "اعضای خانواده"
CEN_GRADUATES = "دانش‌آموختگان دانشگاهی"
CEN_COUNT = "مراکز گزارش‌دهنده"
LOAN_TITLE = "تسهیلات اشتغال‌زایی"
LOAN_PROJECTS = "طرح‌ها"
LOAN_AMOUNT = "مبلغ (ریال)"
LOAN_JOBS = "اشتغال پیش‌بینی‌شده"
LOAN_PER_JOB = "مبلغ به ازای هر شغل (ریال)"
LOAN_BY_KIND = "به تفکیک نوع طرح"
LOAN_KIND = "نوع طرح"

MON_TIMELINE = "بازدیدها به تفکیک ماه (از بهمن سال قبل)"
MON_IN_PERSON = "حضوری"
MON_REMOTE = "غیرحضوری"
MON_OUTCOMES = "نتیجهٔ پایش‌ها در سال"
MON_MODE = "نوع پایش"
MON_OUTCOME = "نتیجه"
MON_VISITS = "بازدیدها"
SE_CENTRE_SCOPED = "هر مرکز فقط با مددجویان {where} شمرده شده است؛ رقم کل مرکز در نمای کل استان است."
MON_NO_REMOTE_YEAR = "در سال {year} برای {where} هیچ پایش غیرحضوری ثبت نشده است."
MON_NOT_REMOTE = "شهرستان‌هایی که در این سال پایش غیرحضوری نشده‌اند"
MON_ALL_REMOTE = "همهٔ شهرستان‌های گزینش‌شده دست‌کم یک بار پایش غیرحضوری شده‌اند."
MON_IN_PERSON_BY_COUNTY = "پوشش پایش حضوری طرح‌های سال قبل، به تفکیک شهرستان"
MON_DUE = "طرح‌های نیازمند پایش"
MON_VISITED = "بازدیدشده"
MON_COVERAGE = "پوشش"
MON_NOT_IN_PERSON = "شهرستان‌هایی با طرح بازدیدنشده"

# --- Presenting to officials: presentation mode, PDF brief, PowerPoint deck, Excel workbook (karnama/exports) ---
PAGE_PRESENT = "حالت ارائه"
BRIEF_TITLE = "گزارش شاخص‌های اشتغال"
BRIEF_ORG = "معاونت اشتغال — ادارهٔ کل بهزیستی خراسان رضوی"
BRIEF_YEAR = "سال {year}"
BRIEF_AS_OF = "داده تا تاریخ {as_of}"
BRIEF_SNAPSHOT = "نسخهٔ داده: {id}"
BRIEF_DEMO = "دادهٔ نمونه — ارقام ساختگی‌اند"
BRIEF_HEADLINE = "شاخص‌های اصلی"
BRIEF_PAGE = "صفحهٔ {n} از {total}"
BRIEF_FOOTER = "کارنما — {where}، سال {year} — داده تا {as_of}"
BRIEF_NO_COUNTY_DATA = "برای این گزینش دادهٔ شهرستانی نیست."
COL_INDICATOR = "شاخص"
COL_VALUE = "سال {year}"
COL_TARGET = "هدف"
COL_PROGRESS = "پیشرفت"
COL_CHANGE = "تغییر"
COL_COUNTY = "شهرستان"
COL_CODE = "کد"
COL_MONTH = "ماه"
COL_UNIT = "واحد"
COL_TOPIC = "موضوع"
CHART_BY_COUNTY = "{what} به تفکیک شهرستان"
CHART_PROGRESS_BY_COUNTY = "پیشرفت {what} نسبت به هدف هر شهرستان"
SERIES_PROGRESS = "پیشرفت نسبت به هدف"
CHART_BY_MONTH = "{what} به تفکیک ماه، سال {year}"
CHART_BY_MONTH_SPAN = "{what} به تفکیک ماه، {first} تا {last}"
SERIES_TARGET = "هدف"
SERIES_PACE = "مسیر یکنواخت تا هدف"
CHART_CUMULATIVE = "{what}: انباشته در برابر هدف، سال {year}"
CUMULATIVE_TITLE = "پیشرفت انباشته در برابر هدف"
SERIES_IN_PERSON_VISITS = "بازدید حضوری"
SERIES_REMOTE_VISITS = "بازدید غیرحضوری"
SERIES_VISITS = "بازدیدهای پایش"
SERIES_ACHIEVED = "تثبیت‌شده"
SERIES_STABILISATION = "تثبیت"
SERIES_CREATION = "ایجادی"
SERIES_EMPLOYED = "شاغل‌شده"
SERIES_PROJECTS = "طرح"
SERIES_COVERAGE = "پوشش"
CHANGE_UP = "{pct} افزایش"
CHANGE_DOWN = "{pct} کاهش"
CHANGE_NONE = "بدون تغییر"
PERCENTAGE_POINTS = "{n} واحد درصد"
EXPORT_UNKNOWN_COUNTY = "شهرستان «{value}» در دادهٔ این نسخه نیست."
EXPORT_UNKNOWN_YEAR = "سال {year} در دادهٔ این نسخه نیست."
EXPORT_UNKNOWN_FORMAT = "قالب خروجی «{value}» شناخته نیست؛ یکی از pdf، pptx یا xlsx را بدهید."
TOPIC_SHORT = {
    "se": "اشتغال حمایت‌شده",
    "incentives": "مشوق‌های بیمه‌ای",
    "centres": "مراکز دارای مجوز",
    "loans": "تسهیلات اشتغال‌زایی",
    "monitoring": "پایش طرح‌ها",
}
NOTES_SOURCE = "منبع: نسخهٔ داده {id}، داده تا تاریخ {as_of}، {where}، سال {year}."
NOTES_FIGURE = "{label}: {value}"
NOTES_SPAN = "{span}: {value}"
NOTES_TARGET = "هدف: {value}"
NOTES_CHANGE = "تغییر نسبت به {year}: {value}"
XLSX_ABOUT = "دربارهٔ گزارش"
XLSX_SUMMARY = "شاخص‌ها"
XLSX_MONTHS = "ماهانه"
XLSX_FIELD = "عنوان"
XLSX_VALUE_FIELD = "مقدار"
XLSX_KEY = "کلید شاخص"
XLSX_REPORT = "گزارش"
XLSX_PLACE = "محدوده"
XLSX_AS_OF = "داده تا تاریخ"
XLSX_SNAPSHOT = "نسخهٔ داده"
XLSX_YES = "بله"
XLSX_NO = "خیر"
XLSX_REMOTE_MONITORED = "پایش غیرحضوری در سال"
XLSX_MONTH_NUMBER = "شمارهٔ ماه"
EXPORT_SECTION = "خروجی برای جلسه"
EXPORT_PDF = "گزارش PDF"
EXPORT_PPTX = "اسلاید پاورپوینت"
EXPORT_XLSX = "کاربرگ اکسل"
EXPORT_PRESENT = "حالت ارائه"
EXPORT_FAILED = "ساخت فایل {fmt} ممکن نشد؛ دوباره تلاش کنید یا با پشتیبانی تماس بگیرید."
PRESENT_NEXT = "بعدی"
PRESENT_PREV = "قبلی"
PRESENT_BACK = "بازگشت به داشبورد"
PRESENT_COUNTER = "{n} از {total}"
PRESENT_FOOTER = "{where} — سال {year} — داده تا تاریخ {as_of}"
PRESENT_FOOTER_COUNTIES = "سال {year} — داده تا تاریخ {as_of}"  # the county box beside it names them


# ---- Data import (issue 4): cells, files, sheets, report, template, data page --------------------------------
IMP_NOT_A_NUMBER = "عدد نیست"
IMP_FRACTION = "عدد اعشاری است؛ عدد صحیح لازم است"
IMP_NEGATIVE = "عدد منفی است"
IMP_TOO_SMALL = "کوچک‌تر از {min} است"
IMP_TOO_LARGE = "بزرگ‌تر از {max} است"
IMP_NOT_A_YEAR = "سال نیست"
IMP_GREGORIAN_YEAR = "سال میلادی به نظر می‌رسد؛ سال شمسی لازم است"
IMP_YEAR_RANGE = "سال شمسی باید میان {lo} و {hi} باشد"
IMP_NOT_A_MONTH = "ماه نیست"
IMP_NOT_A_DATE = "تاریخ نیست"
IMP_GREGORIAN_DATE = "تاریخ میلادی به نظر می‌رسد؛ تاریخ شمسی لازم است"
IMP_IMPOSSIBLE_DATE = "چنین تاریخ شمسی‌ای وجود ندارد (ماه یا روز نادرست)"
IMP_DATE_ORDER = "ترتیب تاریخ نادرست است؛ سال باید اول بیاید (سال/ماه/روز)"
IMP_TOO_LONG = "متن بلندتر از {max} نویسه است"
IMP_UNKNOWN_VALUE = "مقدار شناخته‌شده‌ای نیست"
IMP_UNKNOWN_COUNTY = "شهرستان ناشناخته"
IMP_REQUIRED = "خانهٔ الزامی خالی است"
IMP_EXP_COUNTY = "نام یا کد یکی از شهرستان‌های استان (مثلاً مشهد یا MSH)"
IMP_EXP_COUNTY_OR_PROVINCE = "نام یا کد یک شهرستان، یا خالی (یا «کل استان») برای کل استان"
IMP_EXP_ENUM = "یکی از: {values}"
IMP_EXP_YEAR = "سال شمسی چهاررقمی، مانند ۱۴۰۲"
IMP_EXP_MONTH = "ماه شمسی: عدد ۱ تا ۱۲ یا نام ماه (فروردین…اسفند)"
IMP_EXP_COUNT = "عدد صحیح نامنفی، مانند ۱۲"
IMP_EXP_RIALS = "مبلغ به ریال: عدد صحیح نامنفی، مانند ۱٬۲۰۰٬۰۰۰"
IMP_EXP_NUMBER = "عدد نامنفی"
IMP_EXP_DATE = "تاریخ شمسی سال/ماه/روز مانند ۱۴۰۲/۰۵/۰۱، یا خانهٔ تاریخ اکسل"
IMP_EXP_TEXT = "متن ساده تا {max} نویسه"
IMP_TOO_BIG = "حجم پرونده {size} مگابایت است؛ بیشینهٔ مجاز {limit} مگابایت است."
IMP_EMPTY_FILE = "پرونده خالی است."
IMP_OLD_XLS = "این پرونده در قالب قدیمی اکسل (xls) است؛ آن را در اکسل با قالب xlsx ذخیره کنید و دوباره بفرستید."
IMP_NOT_SPREADSHEET = "این پرونده صفحه‌گسترده نیست (محتوای آن با پسوند نامش نمی‌خواند)."
IMP_NOT_WORKBOOK = "این پرونده فشرده است اما کارپوشهٔ اکسل نیست."
IMP_UNSUPPORTED = "فقط پرونده‌های اکسل (xlsx) و CSV پذیرفته می‌شوند."
IMP_CORRUPT = "کارپوشهٔ اکسل آسیب دیده یا ناقص است و خوانده نمی‌شود؛ آن را دوباره از اکسل ذخیره کنید."
IMP_BOMB = (
    "این کارپوشه پس از باز شدن بسیار بزرگ‌تر از اندازهٔ مجاز می‌شود؛ پذیرفته نشد. داده را در چند پروندهٔ کوچک‌تر بفرستید."
)
IMP_DOCTYPE = (
    "بخشی از این کارپوشه تعریف DOCTYPE یا ENTITY دارد که اکسل هرگز نمی‌نویسد؛ برای ایمنی خوانده نشد. "
    "پرونده را در اکسل باز کنید و دوباره با قالب xlsx ذخیره کنید."
)
IMP_ENCRYPTED = (
    "این کارپوشه با گذرواژه قفل (رمزگذاری) شده است و خوانده نمی‌شود؛ در اکسل گذرواژه را بردارید "
    "(پرونده ← اطلاعات ← محافظت از کارپوشه) و دوباره بفرستید."
)
IMP_FORMULA_SHOWN = "(فرمول)"
IMP_FORMULA_CELL = "خانهٔ فرمول‌دار است؛ فرمول پذیرفته نمی‌شود: «چسباندن فقط مقدار» کنید"
IMP_CONTROL_CHAR = "نویسهٔ کنترلی نامرئی (مانند نویسهٔ تهی NUL) دارد"
IMP_CSV_DELIMITER = (
    "جداکنندهٔ ستون‌ها در سطرهای داده ({rows}) با سرستون ({header}) یکی نیست، پس سطرها به ستون تقسیم نشدند. "
    "پرونده را با یک جداکننده (ترجیحاً ویرگول) دوباره ذخیره کنید."
)
IMP_CSV_ONE_COLUMN = (
    "سرستون این پرونده به ستون تقسیم نشد؛ جداکنندهٔ «{found}» پشتیبانی نمی‌شود. "
    "پرونده را با ویرگول، نقطه‌ویرگول یا Tab به‌عنوان جداکننده ذخیره کنید."
)
IMP_TOO_MANY_ROWS = (
    "این ورود بیش از {limit} سطر داده دارد (بیشینهٔ هر ورود، همهٔ پرونده‌ها روی هم)؛ داده را در چند نوبت وارد کنید."
)
IMP_ORDER = "«{col}» ({value}) پیش از «{other}» ({before}) است"
IMP_EXP_ORDER = "«{col}» در همان روز یا پس از «{other}»"
IMP_VISIT_BEFORE_APPROVAL = "تاریخ پایش پیش از تاریخ تصویب طرح ({approved}) است"
IMP_EXP_VISIT = "تاریخ پایش در همان روز یا پس از تصویب طرح"
IMP_VISIT_NO_PROJECT = (
    "«{table}»: برای {count} طرح پایش آمده است که در «{loans}» نیست: {ids}. شناسهٔ طرح را بررسی کنید "
    "یا طرح را هم‌زمان وارد کنید."
)
IMP_FUTURE_DATE = "پس از امروز ({today}) است؛ شاید سال اشتباه تایپ شده است"
IMP_FUTURE_MONTH = "{month} هنوز نرسیده است (امروز {today})؛ شاید سال اشتباه تایپ شده است"
IMP_EXP_PAST = "تاریخی تا امروز"
IMP_CHECK_FAILED = "بررسی این جدول به خطای پیش‌بینی‌نشده خورد ({kind})؛ چیزی منتشر نمی‌شود."
IMP_BAD_CSV = "ساختار CSV در حدود سطر {row} خراب است (مثلاً گیومهٔ بسته‌نشده)."
IMP_SHEET_UNKNOWN = "نام این برگه با هیچ جدولی نمی‌خواند و ستون‌هایش هم شناخته نشد؛ کنار گذاشته شد."
IMP_FILE_UNKNOWN = (
    "معلوم نیست این پرونده دادهٔ کدام جدول است: نام پرونده را نام جدول بگذارید "
    "(مثلاً loans.csv یا تسهیلات اشتغال‌زایی.csv) یا سرستون‌های الگو را به کار ببرید."
)
IMP_NOT_IMPORTABLE = "جدول «{table}» از راه ورود داده تغییر نمی‌کند؛ این برگه کنار گذاشته شد."
IMP_COLUMN_IGNORED = "این ستون در جدول نیست و کنار گذاشته شد."
IMP_COLUMN_TWICE = "این ستون دو بار آمده است."
IMP_COLUMN_MISSING = "ستون الزامی «{header}» ({name}) نیست."
IMP_NO_ROWS = "برگه فقط سرستون دارد و هیچ سطر داده‌ای ندارد."
IMP_MORE_ROWS = "و {count} سطر دیگر با همین ایراد: {reason}"
IMP_PLACE = "سطر {row} از «{sheet}»"
IMP_DUPLICATE_KEY = "سطر تکراری: همین کلید پیش‌تر در {place} آمده است."
IMP_AND_MORE = " و {count} مورد دیگر"
IMP_GAP = "«{table}»، {month}: {count} شهرستان که در {last} داده داشتند این ماه داده ندارند: {names}."
IMP_BEFORE_SPLIT = (
    "«{table}»: {count} سطر برای {county} پیش از سال {year} آمده است؛ دادهٔ پیش از جدا شدن "
    "شهرستان معمولاً به نام شهرستان مادر ثبت می‌شود."
)
IMP_NO_FILES = "هیچ پرونده‌ای فرستاده نشد."
IMP_NOTHING_FOUND = "در پرونده‌ها هیچ جدول شناخته‌شده‌ای با داده پیدا نشد."
IMP_REFUSED_ERRORS = "تا وقتی خطایی در گزارش بررسی هست، چیزی منتشر نمی‌شود."
IMP_STALE = "از زمان بررسی، نسخهٔ فعال داده عوض شده است؛ پرونده‌ها را دوباره بررسی کنید."
TPL_SHEET_GUIDE = "راهنما"
TPL_SHEET_LISTS = "فهرست‌ها"
TPL_TITLE = "الگوی ورود دادهٔ کارنما"
TPL_STEPS = (
    "۱. هر برگه یک جدول است؛ نام برگه‌ها و سرستون‌ها را تغییر ندهید. از سطر ۲ به بعد داده بنویسید.",
    "۲. شهرستان و ستون‌های فهرستی را از فهرست کشویی برگزینید؛ نام شهرستان با هر نگارش رایج (ي/ی، با یا بی‌فاصله) پذیرفته می‌شود.",
    "۳. تاریخ‌ها شمسی و به شکل سال/ماه/روز (مانند 1402/05/01 یا ۱۴۰۲/۵/۱)؛ سال‌ها شمسی (مانند 1402). مبلغ‌ها به ریال.",
    "۴. فرمول ننویسید؛ فقط مقدار. سطر تکراری (همان کلید) پذیرفته نمی‌شود.",
    "۵. با ورود داده، سطرهای هم‌کلید جایگزین و سطرهای تازه افزوده می‌شوند؛ پیش از انتشار گزارش بررسی را ببینید.",
)
TPL_TABLE_LINE = "نام ماشینی: {name} — کلید (هر سطر یکتا با): {key}"
TPL_COLUMNS = ("سرستون", "نام ماشینی", "مقدار مورد انتظار", "الزامی")
TPL_REQUIRED = "بله"
TPL_OPTIONAL = "خیر"
IMP_NO_SUCH_FILE = "پرونده «{path}» پیدا نشد."
# The command line's import report (python -m karnama import without --json), Persian end to end.
CLI_ERROR = "خطا"
CLI_WARNING = "هشدار"
CLI_ROW = "سطر {row}"
CLI_CELL = "خانهٔ {cell}"
CLI_VALUE = "مقدار «{value}»"
CLI_EXPECTED = "مورد انتظار: {expected}"
CLI_COUNTS = (
    "{table}: {uploaded} سطر در پرونده — {added} افزوده، {replaced} جایگزین، {unchanged} بی‌تغییر"
    "{removed}؛ پس از انتشار {after} سطر"
)
CLI_REMOVED = "، {removed} حذف"
CLI_SUMMARY = "{errors} خطا، {warnings} هشدار (بررسی در {seconds} ثانیه)"
CLI_PUBLISHED = "نسخهٔ {id} (دادهٔ تا {as_of}) منتشر و فعال شد."
CLI_DRY_RUN = "اجرای آزمایشی: چیزی منتشر نشد."
CLI_NOTHING_PUBLISHED = "چیزی منتشر نشد."

# --- Access control (issue 6): login, roles, scope, audit log -------------------------------------------
ROLE_ADMIN = "مدیر داده"
ROLE_PROVINCE = "کارشناس استان"
ROLE_COUNTY = "کارشناس شهرستان"

LOGIN_TITLE = "ورود به کارنما"
LOGIN_INTRO = "آمار افراد دارای معلولیت محرمانه است؛ برای دیدن داشبورد وارد شوید."
LOGIN_NAME = "نام کاربری"
LOGIN_PASSWORD = "گذرواژه"
LOGIN_SUBMIT = "ورود"
LOGIN_EMPTY = "نام کاربری و گذرواژه را وارد کنید."
LOGIN_FAILED = "نام کاربری یا گذرواژه نادرست است."
LOGIN_RATE_LIMITED = "تلاش‌های ناموفق بیش از اندازه بوده است؛ {minutes} دقیقهٔ دیگر دوباره تلاش کنید."
LOGIN_NO_ACCOUNTS = (
    "هنوز هیچ حسابی ساخته نشده است. نخستین مدیر را روی سرور با این فرمان بسازید: "
    "`python -m karnama users add NAME --role admin`"
)
LOGIN_BUTTON = "ورود کارکنان"
LOGIN_BACK = "ادامه بدون ورود (فقط خواندنی)"
LOGOUT = "خروج"
PASSWORD_CHANGE = "تغییر گذرواژه"
PASSWORD_CHANGE_TITLE = "تغییر گذرواژهٔ شما"
PASSWORD_CURRENT = "گذرواژهٔ کنونی"
PASSWORD_NEW = "گذرواژهٔ تازه"
PASSWORD_REPEAT = "تکرار گذرواژهٔ تازه"
PASSWORD_RULES = "دست‌کم {n} نویسه؛ نه نام حساب و نه گذرواژه‌ای رایج."
PASSWORD_SUBMIT = "ثبت گذرواژهٔ تازه"
PASSWORD_CANCEL = "انصراف"
PASSWORD_EMPTY = "هر سه خانه را پر کنید."
PASSWORD_MISMATCH = "گذرواژهٔ تازه و تکرار آن یکی نیستند."
PASSWORD_SAME = "گذرواژهٔ تازه باید با گذرواژهٔ کنونی فرق داشته باشد."
PASSWORD_WRONG = "گذرواژهٔ کنونی درست نیست."
PASSWORD_CHANGED = "گذرواژه تغییر کرد. اگر این حساب در مرورگر دیگری باز بود، آن نشست بسته شد."
SESSION_EXPIRED = "نشست شما به سبب {minutes} دقیقه بی‌کاری پایان یافت؛ دوباره وارد شوید."
SESSION_ENDED = "نشست شما پایان یافت (حساب حذف یا گذرواژه‌اش عوض شده است)؛ دوباره وارد شوید."
OPEN_VIEWING_NOTICE = "نمایش آزاد: این داشبورد بدون ورود و فقط خواندنی نمایش داده می‌شود."
SIGNED_IN_AS = "واردشده: {name} — {role}"
SIGNED_IN_COUNTIES = "شهرستان‌ها: {names}"
VIEW_AS = "نمایش به‌جای حساب دیگر"
VIEW_AS_NONE = "— نمای خودم —"
VIEW_AS_ACTIVE = "داشبورد همان‌گونه نمایش داده می‌شود که «{name}» می‌بیند."
ADMIN_ONLY = "این بخش فقط برای مدیر داده است؛ با حساب مدیر وارد شوید."
ADMIN_ONLY_VIEW_AS = "در حالت «نمایش به‌جای حساب دیگر» کارهای مدیریتی در دسترس نیست."
SCOPE_SUM = "جمع شهرستان‌های شما"

AUTH_BAD_NAME = "نام کاربری باید ۱ تا ۶۴ نویسهٔ لاتین، رقم، نقطه، خط تیره یا زیرخط باشد و با حرف یا رقم آغاز شود."
AUTH_SHORT_PASSWORD = "گذرواژه دست‌کم {n} نویسه باشد."
AUTH_LONG_PASSWORD = "گذرواژه بیش از {n} نویسه است."
AUTH_PASSWORD_MISMATCH = "دو گذرواژهٔ واردشده یکسان نیستند."
AUTH_UNKNOWN_COUNTY = "شهرستان «{value}» شناخته نشد."
AUTH_BAD_ROLE = "نقش «{role}» شناخته نشد؛ یکی از این‌ها: {roles}."
AUTH_COUNTY_NEEDS_COUNTIES = "حساب شهرستان دست‌کم یک شهرستان می‌خواهد (--county)."
AUTH_COUNTIES_ONLY_FOR_COUNTY = "شهرستان فقط به حساب با نقش county داده می‌شود."
AUTH_EXISTS = "حساب «{name}» از پیش هست."
AUTH_NO_SUCH_ACCOUNT = "حسابی به نام «{name}» نیست."
AUTH_FILE_UNREADABLE = "پروندهٔ حساب‌ها ({path}) خوانا نیست؛ کسی نمی‌تواند وارد شود تا درست شود."
AUTH_COUNTY_OUT_OF_SCOPE = "شهرستان «{county}» در محدودهٔ حساب «{name}» نیست."
AUTH_LAST_ADMIN = "این آخرین حساب مدیر است؛ نخست مدیر دیگری بسازید."

AUDIT_TITLE = "گزارش رویدادها (فقط مدیر)"
AUDIT_TAB = "گزارش رویدادها"
AUDIT_EMPTY = "هنوز رویدادی ثبت نشده است."
AUDIT_TAMPERED = "زنجیرهٔ گزارش رویدادها در این سطرها نمی‌خواند (ویرایش یا حذف دستی): {lines}"
AUDIT_INTACT = "زنجیرهٔ گزارش رویدادها سالم است ({n} رویداد)."
AUDIT_UNWRITABLE = "گزارش رویدادها ({path}) نوشتنی نیست؛ این کار انجام نشد."
AUDIT_FILTER_EVENTS = "رویداد"
AUDIT_ALL_EVENTS = "همهٔ رویدادها"
AUDIT_COL_TIME = "زمان (تهران)"
AUDIT_COL_UTC = "زمان (UTC)"
AUDIT_COL_EVENT = "رویداد"
AUDIT_COL_ACCOUNT = "حساب"
AUDIT_COL_DETAILS = "جزئیات"
AUDIT_EV_LOGIN_SUCCESS = "ورود موفق"
AUDIT_EV_LOGIN_FAILURE = "ورود ناموفق"
AUDIT_EV_LOGOUT = "خروج"
AUDIT_EV_SESSION_EXPIRED = "پایان نشست (بی‌کاری)"
AUDIT_EV_VIEW_AS = "نمایش به‌جای حساب دیگر"
AUDIT_EV_PUBLISH = "انتشار داده"
AUDIT_EV_ROLLBACK = "بازگشت به نسخهٔ قبلی"
AUDIT_EV_EXPORT = "خروجی"
AUDIT_EV_USER_ADD = "افزودن حساب"
AUDIT_EV_USER_REMOVE = "حذف حساب"
AUDIT_EV_USER_PASSWORD = "تغییر گذرواژه"

DATA_TAB_IMPORT = "ورود داده"
DATA_TAB_HISTORY = "تاریخچهٔ نسخه‌ها"
DATA_TEMPLATE_HELP = (
    "الگوی اکسل را بگیرید، هر برگه را پر کنید و بفرستید (CSV هم پذیرفته می‌شود؛ سرستون‌ها فارسی یا "
    "نام ماشینی). پیش از انتشار، گزارش بررسی هر ایراد را با برگه، سطر و ستون نشان می‌دهد."
)
DATA_TEMPLATE_BUTTON = "دریافت الگوی اکسل"
DATA_UPLOAD = "پرونده‌های اکسل (xlsx) یا CSV — هر پرونده تا {limit} مگابایت"
DATA_REPLACE = "جایگزینی کامل جدول‌های فرستاده‌شده"
DATA_REPLACE_HELP = (
    "بی این گزینه، سطرهای هم‌کلید جایگزین و سطرهای تازه افزوده می‌شوند و بقیه می‌مانند؛ با آن، "
    "هر جدولی که فرستاده شده همه‌اش با دادهٔ فرستاده‌شده عوض می‌شود."
)
DATA_CHECKING = "در حال بررسی پرونده‌ها…"
DATA_SUMMARY_OK = "بررسی بی‌خطا بود ({warnings} هشدار). با انتشار، نسخهٔ تازه‌ای از داده ساخته و فعال می‌شود."
DATA_SUMMARY_ERRORS = "{errors} خطا و {warnings} هشدار پیدا شد؛ تا خطاها رفع نشوند چیزی منتشر نمی‌شود."
DATA_COUNTS_TITLE = "با انتشار چه می‌شود"
DATA_PROBLEMS_TITLE = "ایرادها"
DATA_SHOWN_FIRST = "{shown} مورد نخست از {total} مورد نشان داده شده است؛ گزارش کامل را بگیرید."
DATA_REPORT_DOWNLOAD = "دریافت گزارش کامل (CSV)"
DATA_PUBLISH = "انتشار به‌عنوان نسخهٔ تازه"
DATA_PUBLISHED = "نسخهٔ تازهٔ {id} (داده تا {as_of}) منتشر و فعال شد."
DATA_NO_WRITE = "انتشار و بازگشت به نسخهٔ پیشین فقط برای مدیر داده است."
DATA_ERROR = "خطا"
DATA_WARNING = "هشدار"
DATA_COL_KIND = "نوع"
DATA_COL_FILE = "پرونده"
DATA_COL_SHEET = "برگه"
DATA_COL_ROW = "سطر"
DATA_COL_COLUMN = "ستون"
DATA_COL_CELL = "خانه"
DATA_COL_VALUE = "مقدار"
DATA_COL_PROBLEM = "ایراد"
DATA_COL_EXPECTED = "مورد انتظار"
DATA_COL_TABLE = "جدول"
DATA_COL_UPLOADED = "سطرهای فرستاده"
DATA_COL_ADDED = "افزوده"
DATA_COL_REPLACED = "جایگزین"
DATA_COL_UNCHANGED = "بی‌تغییر"
DATA_COL_REMOVED = "حذف"
DATA_COL_AFTER = "سطرها پس از انتشار"
HIST_COL_CREATED = "زمان ساخت"
HIST_COL_ID = "شناسهٔ نسخه"
HIST_COL_STATE = "وضعیت"
HIST_COL_AS_OF = "داده تا"
HIST_COL_SOURCE = "منبع"
HIST_COL_AUTHOR = "سازنده"
HIST_COL_ROWS = "سطرها"
HIST_DAMAGED = "آسیب‌دیده"
HIST_PICK_TITLE = "یک نسخه"
HIST_PICK = "نسخه"
HIST_OPEN = "نمایش داشبورد با این نسخه (تا تاریخ)"
HIST_ROLLBACK = "فعال‌کردن این نسخه (بازگشت)"
HIST_ROLLED = "نسخهٔ {id} فعال شد؛ هیچ نسخه‌ای پاک نشد."
HIST_DIFF_TITLE = "مقایسهٔ دو نسخه"
HIST_FROM = "از نسخه"
HIST_TO = "تا نسخه"
HIST_DIFF_BUTTON = "مقایسه"
HIST_SAME = "دو نسخهٔ یکسان برگزیده شده است."
HIST_ONE_SNAPSHOT = "برای مقایسه دست‌کم دو نسخه لازم است."
HIST_COL_ADDED = "سطر افزوده"
HIST_COL_CHANGED = "سطر تغییرکرده"
HIST_COL_REMOVED = "سطر حذف‌شده"
HIST_COL_UNCHANGED = "بی‌تغییر"
HIST_KPI_TITLE = "شاخص‌هایی که تغییر کرده‌اند (کل استان)"
HIST_NO_KPI_CHANGE = "هیچ شاخصی تغییر نکرده است."
HIST_COL_KPI = "شاخص"
HIST_COL_BEFORE = "پیش"
HIST_COL_AFTER = "پس"
PAGE_DATA = "داده‌ها"

# ---- snapshots (data/snapshots.py) ---------------------------------------------------------------------------
SNAP_NOT_FOUND = "نسخهٔ داده «{id}» پیدا نشد."
SNAP_MANIFEST_UNREADABLE = "فهرست (manifest) نسخهٔ داده «{id}» خوانا نیست."
SNAP_SCHEMA_MISMATCH = "نسخهٔ داده «{id}» با ساختار داده‌ی این برنامه (نسخهٔ {version}) نمی‌خواند."
SNAP_TABLES_MISSING = "در نسخهٔ داده «{id}» جدول {tables} نیست."
SNAP_FILE_MISSING = "پروندهٔ جدول «{table}» در نسخهٔ داده «{id}» نیست."
SNAP_FILE_DAMAGED = "پروندهٔ جدول «{table}» در نسخهٔ داده «{id}» آسیب دیده است (checksum نمی‌خواند)."
SNAP_NONE_ACTIVE = "هیچ نسخه‌ای از داده فعال نشده است."
SNAP_FALLBACK = "{lead} آخرین نسخهٔ سالم («{id}»، {date}) نمایش داده می‌شود."
SNAP_NONE_INTACT = "هیچ نسخهٔ سالمی از داده پیدا نشد. با «python -m karnama demo» دادهٔ نمونه بسازید یا داده وارد کنید."
SNAP_TABLE_NOT_GIVEN = "جدول «{table}» برای انتشار داده نشده است."
SNAP_WRITE_FAILED = "پروندهٔ جدول «{table}» درست نوشته نشد."

# ---- settings (core/settings.py) -----------------------------------------------------------------------------
SETTINGS_UNREADABLE = "پروندهٔ تنظیمات (settings.toml) خوانا نیست؛ تنظیمات پیش‌فرض به کار رفت."
SETTINGS_BAD_VALUE = "مقدار تنظیم «{name}» ({value}) معتبر نیست؛ مقدار پیش‌فرض به کار رفت."
SETTINGS_OPEN_VIEWING_REFUSED = "چون تنظیمات کامل خوانده نشد، نمایش بدون ورود خاموش ماند؛ برای دیدن داشبورد وارد شوید."

# ---- the review meeting: freshness, what changed, the pack (meeting/) -------------------------------------------
FRESH_REACHES = "دادهٔ {county} تا {month}"
FRESH_NONE = "از {county} داده‌ای نرسیده است"
FRESH_TABLES = {
    "incentives": "مشوق‌های بیمه‌ای",
    "centre_employment": "اشتغال از طریق مراکز",
    "se_clients": "اشتغال حمایت‌شده",
    "loans": "تسهیلات",
    "monitoring": "پایش طرح‌ها",
}
FRESH_NOT_REPORTED = "شهرستان‌هایی که دادهٔ {month} را نفرستاده‌اند: {names}"
FRESH_ALL_REPORTED = "همهٔ شهرستان‌ها دادهٔ {month} را فرستاده‌اند."
CHANGES_NONE = "میان این دو نسخه هیچ ردیفی تغییر نکرده است."
CHANGES_ROWS = "در این نسخه {parts} آمده است."
CHANGES_ROWS_PART = "{table}: {added} ردیف تازه و {changed} ردیف اصلاح‌شده"
CHANGES_ROWS_REMOVED = " و {removed} ردیف حذف‌شده"
CHANGES_KPIS = "بیشترین تغییر شاخص‌ها در سال {year}: {parts}."
CHANGES_KPI_PART = "{label} از {before} به {after}"
CHANGES_NO_KPI = "هیچ شاخص استانی سال {year} تغییر نکرده است."
CHANGES_STATUS = "وضعیت این شهرستان‌ها عوض شد: {parts}."
CHANGES_STATUS_PART = "{county} ({before} ← {after})"
CHANGES_NO_STATUS = "وضعیت هیچ شهرستانی عوض نشد."

CLI_UNKNOWN_COUNTY = "شهرستان «{county}» شناخته نشد."
FRESH_MISSING = "نرسیده: {months}"
FRESH_CHANGED = "آخرین تغییر {date}"
CHANGES_NO_PREVIOUS = "نسخهٔ پیشینی برای مقایسه نیست؛ دو نسخه را نام ببرید."
DELIVERY_NOT_CONFIGURED = (
    "فرستادن با پست الکترونیکی تنظیم نشده است (smtp_host، smtp_sender و smtp_recipients در settings.toml)."
)
DELIVERY_NO_PASSWORD = "برای ورود به کارساز پست، گذرواژه را در متغیر محیطی KARNAMA_SMTP_PASSWORD بگذارید."
DELIVERY_FAILED = "بستهٔ جلسه به کارساز پست {host} فرستاده نشد: {reason}"
DELIVERY_SHARE_FAILED = "بستهٔ جلسه در پوشهٔ {folder} نوشته نشد: {reason}"

# Presentation-grade screens and files (issue 12)
MAP_COLOUR_NOTE = "رنگ هر شهرستان مقدار شاخص را نشان می‌دهد (راهنمای رنگ زیر نقشه)."
MAP_STATUS_NOTE = "رنگ هر شهرستان وضعیت آن نسبت به برنامه است (راهنمای بالای نقشه)؛ پیشرفت هر شهرستان با بردن نشانگر روی آن دیده می‌شود."
MAP_ATTRIBUTION = "مرز شهرستان‌ها: © مشارکت‌کنندگان OpenStreetMap، ODbL."
MAP_ALT = "نقشهٔ {n} شهرستان که رنگ هرکدام «{what}» را نشان می‌دهد."
CHART_ALT = "نمودار «{what}» برای {n} مورد: بیشترین {top} ({top_value}) و کمترین {bottom} ({bottom_value})."
CHART_ALT_NAMED = "نمودار «{what}»."
CHART_ALT_LINES = "نمودار «{what}» در {n} ماه، از {first} تا {last}. {series}."
CHART_ALT_LINE_SERIES = "{name}: بیشترین در {top} ({top_value})، آخرین ماه {last_value}"
CHART_ALT_SHARES = "نمودار «{what}»: {shares}."
CHART_ALT_SHARES_UNNAMED = "سهم‌ها"
CHART_ALT_SHARE = "{label} {share} ({count})"
CHART_ALT_UNNAMED = "نموداری برای {n} مورد: بیشترین {top} ({top_value}) و کمترین {bottom} ({bottom_value})."
SNAPSHOT_LABEL = "دادهٔ {date}"
SNAPSHOT_LABEL_DEMO = "دادهٔ نمونه، {date}"
SNAPSHOT_LABEL_CURRENT = "آخرین داده (فعال)"
SNAPSHOT_DETAILS = "شناسهٔ نسخه برای پشتیبانی: {id}"
SNAPSHOT_CAPTION_FA = "{label} — تا تاریخ {as_of}"
APP_LOADING = "کارنما — در حال بارگذاری داشبورد…"
# The first bytes a browser gets (serve.py): before Streamlit's scripts have loaded, or when scripts are off.
SPLASH_TAGLINE = "داشبورد شاخص‌های اشتغال بهزیستی خراسان رضوی"
SPLASH_LOADING = "در حال بارگذاری…"
NOSCRIPT = "کارنما برای نمایش داشبورد به جاوااسکریپت نیاز دارد؛ آن را در مرورگر روشن کنید."
PRESENT_MORE = "… {n} شهرستان"  # the gap between the top and the bottom counties (the title says which)
PRESENT_TOP_BOTTOM = "{what}: {top} شهرستان بالا و {bottom} شهرستان پایین"
PRESENT_BEHIND_AHEAD = "{what}: عقب‌ترین {top} شهرستان و جلوترین {bottom} شهرستان"
HIST_SOURCE_DEMO = "سازندهٔ دادهٔ نمونه (بذر {seed}، سال مرجع {year})"
HIST_SOURCE_IMPORT = "بارگذاری پرونده: {files}"
# ---- status, comparison, forecast, verdict (karnama/status.py, karnama/verdict.py) ---------------------------
STATUS_AHEAD = "جلوتر از برنامه"
STATUS_ON_TRACK = "مطابق برنامه"
STATUS_AT_RISK = "کمی عقب‌تر از برنامه"
STATUS_BEHIND = "عقب‌تر از برنامه"
STATUS_NO_TARGET = "بدون هدف شهرستانی"
# A year in progress: the change compares the same complete months of both years, named on both sides, because
# the value beside it is the year so far (months that have no counterpart yet included).
COMPARE_SAME_PERIOD = "{now} نسبت به {before}"
COMPARE_SAME_PERIOD_IN = "در {now} نسبت به {before}"
COMPARE_WHOLE_YEAR = "نسبت به کل سال {year}"
COMPARE_SPAN = "{first} تا {last} {year}"
COMPARE_SPAN_ONE = "{month} {year}"
PARTIAL_YEAR_MARK = "{year} (تا {as_of})"
PARTIAL_MONTH_MARK = "{month} ({days} روز)"
PARTIAL_MONTH_NOTE = "دادهٔ {month} تا روز {day} آن است؛ رقم آن ماه هنوز کامل نیست."
PARTIAL_YEAR_NOTE = "سال {year} ناتمام است: داده تا {as_of}."
FORECAST_CARD = "پیش‌بینی پایان سال: {expected} ({low} تا {high})"
FORECAST_NEED = "لازم: ماهانه {need}"
FORECAST_SHORT = "{shortfall} کمتر از هدف"
FORECAST_MET = "هدف پوشش داده می‌شود"
FORECAST_FINAL = "سال بسته است: رقم نهایی {value}"
COL_STATUS = "وضعیت"
COL_FORECAST = "پیش‌بینی پایان سال"
COL_BASIS = "مبنای مقایسه"
VERDICT_TARGET = "{label}: {value}، {pct} از هدف {target} — {status}."
VERDICT_CLOSED_SHORT = "سال با {shortfall} کمتر از هدف بسته شد."
VERDICT_CLOSED_MET = "هدف سال به دست آمد."
VERDICT_FORECAST = "با همین روند، پایان سال حدود {expected} ({low} تا {high}) پیش‌بینی می‌شود؛ {tail}."
VERDICT_FORECAST_SHORT = "{shortfall} کمتر از هدف؛ ماهانه {need} دیگر لازم است"
VERDICT_FORECAST_MET = "هدف به دست می‌آید"
VERDICT_CHANGE = "{label}: {value}، {change} {basis}."
VERDICT_VALUE = "{label}: {value}."
VERDICT_VALUE_BEFORE = "{label}: {value}؛ {basis}: {previous}."
VERDICT_VALUE_SPANS = "{label}: {value}؛ {now}: {compared}؛ {basis}: {previous}."
VERDICT_LAGGARDS = "شهرستان‌های عقب‌تر از برنامه: {names}."
VERDICT_LAGGARDS_MORE = "{names} و {n} شهرستان دیگر"
VERDICT_NO_LAGGARDS = "هیچ شهرستانی عقب‌تر از برنامه نیست."
VERDICT_NO_COUNTY_TARGETS = "برای شهرستان‌ها هدف جداگانه‌ای ثبت نشده است."
VERDICT_TITLE = "جمع‌بندی"
LAGGARD_TITLE = "شهرستان‌های عقب‌تر از برنامه (اشتغال حمایت‌شده)"
MAP_STATUS = "وضعیت اشتغال حمایت‌شده نسبت به برنامه (رنگ)"
XLSX_STATUS_KEY = "کلید وضعیت"
PACK_STAMP_VIEW = "{place} — سال {year}"
PACK_STAMP_SNAPSHOT = "{label} (داده تا {as_of})"
PACK_STAMP_SCOPE = "دامنهٔ حساب: {names}"
PACK_STAMP_ACCOUNT = "تهیه‌شده برای: {name}"
AGENDA_TITLE = "دستور جلسهٔ بازبینی ماهانهٔ شاخص‌های اشتغال"
AGENDA_VERDICT = "جمع‌بندی"
AGENDA_LAGGARDS = "شهرستان‌های عقب‌تر از برنامه در {metric}"
AGENDA_NO_LAGGARDS = "هیچ شهرستانی عقب‌تر از برنامه نیست."
AGENDA_DECISIONS = "تصمیم‌های باز و سررسید"
AGENDA_NO_DECISIONS = "تصمیم بازی ثبت نشده است."
AGENDA_CHANGES = "چه چیزی نسبت به نسخهٔ پیشین داده تغییر کرد"
AGENDA_FIRST_SNAPSHOT = "این نخستین نسخهٔ داده است؛ نسخهٔ پیشینی برای مقایسه نیست."
AGENDA_GAPS = "کمبود داده"
AGENDA_NOTHING = "—"
PACK_BUTTON = "بستهٔ جلسه (ZIP)"
PACK_MAIL_SUBJECT = "بستهٔ جلسهٔ ماهانهٔ کارنما — {place} — سال {year}"
PACK_MAIL_BODY = "بستهٔ جلسهٔ ماهانه (گزارش PDF، ارائهٔ PowerPoint، کاربرگ اکسل و دستور جلسه) پیوست است.\n{stamp}"
CLI_UNKNOWN_YEAR = "سال {year} در دادهٔ این نسخه نیست."
CLI_NO_FOLDER = "پوشهٔ «{folder}» وجود ندارد."
PACK_WRITTEN = "بستهٔ جلسه نوشته شد: {path} ({files})"
PACK_SHARED = "در پوشهٔ مشترک گذاشته شد: {path}"
PACK_MAILED = "با پست الکترونیکی فرستاده شد به: {to}"
PACK_HELP = "یک پروندهٔ ZIP با گزارش PDF، ارائهٔ PowerPoint، کاربرگ اکسل و دستور جلسه برای همین نما."

# ---- state store, password policy, audit view (issue 13) ----------------------------------------------------
AUTH_COMMON_PASSWORD = "این گذرواژه بسیار رایج یا ساده است؛ گذرواژهٔ دیگری برگزینید."
AUTH_NAME_PASSWORD = "گذرواژه نباید نام حساب (یا نام حساب با چند نویسهٔ افزوده) باشد."
AUTH_STORE_UNAVAILABLE = "پایگاه دادهٔ حساب‌ها در دسترس نیست؛ کسی نمی‌تواند وارد شود تا درست شود."
AUDIT_EV_LOGIN_FAILURES = "ورودهای ناموفق (شمارش‌شده)"
AUDIT_EV_MIGRATED = "انتقال پرونده‌های قدیمی به پایگاه داده"
AUDIT_UNKNOWN_ACCOUNT = "نامعلوم"
AUDIT_FILTER_ACCOUNT = "حساب"
AUDIT_ALL_ACCOUNTS = "همهٔ حساب‌ها"
AUDIT_FILTER_FROM = "از تاریخ"
AUDIT_FILTER_TO = "تا تاریخ"
AUDIT_DATE_PLACEHOLDER = "۱۴۰۳/۰۸/۱۵"
UPLOAD_BUTTON = "انتخاب پرونده"
UPLOAD_HINT = "یا پرونده‌ها را اینجا بکشید و رها کنید"
AUDIT_NONE_MATCH = "هیچ رویدادی با این صافی‌ها نیست."
AUDIT_BAD_DATE = "تاریخ «{value}» خوانا نیست: {reason}. این صافی اعمال نشد."
AUDIT_YES = "بله"
AUDIT_NO = "خیر"
# Names of the details an audit entry records (karnama.access.audit), as the admin's audit view shows them.
AUDIT_DETAIL_KEYS = {
    "client": "دستگاه",
    "role": "نقش",
    "bytes": "حجم (بایت)",
    "counties": "شهرستان‌ها",
    "county": "شهرستان",
    "format": "قالب",
    "scope": "دامنه",
    "snapshot": "نسخهٔ داده",
    "previous": "نسخهٔ پیشین",
    "year": "سال",
    "note": "یادداشت",
    "subject": "دربارهٔ",
    "target": "حساب",
    "reason": "علت",
    "window_minutes": "بازه (دقیقه)",
    "minutes": "دقیقه",
    "before": "پیش از",
    "after": "پس از",
    "state": "وضعیت",
    "file": "پرونده",
    "files": "پرونده‌ها",
    "table": "جدول",
    "updated_utc": "زمان (UTC)",
}
# Words the app itself records as detail values (never text typed by someone), by detail.
_NOTE_STATES = {"open": "باز", "done": "انجام شد", "dropped": "کنار گذاشته شد"}
AUDIT_DETAIL_VALUES: dict[str, dict[str, str]] = {
    "role": {"admin": ROLE_ADMIN, "province": ROLE_PROVINCE, "county": ROLE_COUNTY},
    "scope": {"all": "کل استان"},
    "county": {"province": "کل استان", "": "کل استان"},
    "client": {"local": "همین رایانه"},
    "reason": {"bad_credentials": "نام یا گذرواژهٔ نادرست", "rate_limited": "تلاش بیش از حد"},
    "before": _NOTE_STATES,
    "after": _NOTE_STATES,
    "state": _NOTE_STATES,
}
AUDIT_PAGE = "صفحه"
AUDIT_COL_SEQ = "شماره"
AUDIT_PAGE_OF = "صفحهٔ {page} از {pages} — {n} رویداد"
AUDIT_HEAD = "سر زنجیره: رویداد {seq}، چکیدهٔ {hash}"
AUDIT_HEAD_MISSING = "زنجیره از سری که در نسخهٔ دادهٔ {snapshot} ثبت شده ({seq}) کوتاه‌تر است یا با آن نمی‌خواند: {why}"
AUDIT_TAMPERED_SEQ = "زنجیرهٔ گزارش رویدادها در این رویدادها نمی‌خواند (ویرایش، حذف یا جابه‌جایی): {lines}"
NOTE_EMPTY = "متن یادداشت خالی است."
NOTE_TOO_LONG = "یادداشت بیش از {n} نویسه است."
NOTE_BAD_DUE = "سررسید «{value}» خوانا نیست: {reason}"
NOTE_NEEDS_LOGIN = "برای نوشتن یادداشت باید وارد شوید."
NOTE_BAD_KIND = "نوع یادداشت معتبر نیست."
NOTE_OUT_OF_SCOPE = "این یادداشت دربارهٔ شهرستانی بیرون از محدودهٔ حساب شماست."
NOTE_BAD_SUBJECT = "موضوع «{value}» شاخص یا بخش شناخته‌شده‌ای نیست."
NOTE_DECISION_NEEDS = "تصمیم به مسئول و تاریخ سررسید (شمسی، مثل ۱۴۰۳/۰۸/۳۰) نیاز دارد."
NOTE_NOT_FOUND = "این یادداشت پیدا نشد."
NOTE_BAD_STATE = "وضعیت تصمیم معتبر نیست."
NOTE_NOT_A_DECISION = "این یادداشت تصمیم نیست."
NOTE_THEN_NOW = "از {when}: {then} ← اکنون {now}"
NOTE_DECISION_LINE = "{head} — تصمیم، مسئول: {owner}، سررسید: {due}، {state}"
NOTE_STATES = {"open": "باز", "done": "انجام‌شده", "dropped": "کنارگذاشته"}
AUDIT_EV_NOTE_ADDED = "یادداشت"
AUDIT_EV_DECISION_ADDED = "تصمیم"
AUDIT_EV_DECISION_STATE = "تغییر وضعیت تصمیم"
NOTES_TITLE = "یادداشت‌ها و تصمیم‌ها ({n})"
NOTES_TITLE_NONE = "یادداشت‌ها و تصمیم‌ها"
NOTES_BY = "{author}، {when}"
NOTES_DONE = "انجام شد"
NOTES_DROP = "کنار گذاشته شد"
NOTES_KIND = "نوع"
NOTES_KINDS = {"note": "یادداشت", "decision": "تصمیم"}
NOTES_SUBJECT = "دربارهٔ"
NOTES_PLACE = "برای"
NOTES_BODY = "متن"
NOTES_OWNER = "مسئول (برای تصمیم)"
NOTES_DUE = "سررسید شمسی (برای تصمیم)"
NOTES_SAVE = "ثبت"
NOTES_SAVED = "ثبت شد."
CHANGES_TITLE = "چه چیزی نسبت به نسخهٔ پیشین داده تغییر کرد"
