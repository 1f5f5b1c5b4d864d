"""Session-state keys, all in one place: shared ones plain or under 'filters.', page-only ones
prefixed with their page.

The shared sidebar keeps each choice under a plain key (LANGUAGE, FILTER_*) that the dashboard
reads, and draws its widget under `choice(key)`. The widget is created from the plain value, so a
widget that Streamlit re-creates under a new id (as it may between the first and later runs of a
multipage session) starts from the same choice instead of its default. URL parameters carry the
plain values, so a copied link reopens the same page, filters, language and presentation mode.
"""
from __future__ import annotations


def choice(key: str) -> str:
    """The widget key of a sidebar choice kept under `key`."""
    return f"{key}.choice"


def kept(key: str) -> str:
    """(language, choice): a page's own choice kept in the link (pages._common.url_choice), waiting
    while other pages run (Streamlit forgets a widget's state once a run does not draw it), and the
    language it was last drawn in."""
    return f"{key}.kept"


LANGUAGE = "language"
PRESENT = "present"  # presentation mode: larger text, filters tucked away, customers' data masked

# The shared sidebar (pages/_filters.py)
FILTER_MONTH = "filters.month"
FILTER_DATES = "filters.dates"  # the custom range, or the chosen month's days
FILTER_COMPARE = "filters.compare"
FILTER_REGIONS = "filters.regions"
FILTER_BRANCHES = "filters.branches"
FILTER_CHANNELS = "filters.channels"
FILTER_SEGMENTS = "filters.segments"
FILTER_PRODUCTS = "filters.products"
FILTER_TIERS = "filters.tiers"
FILTERS_DRAWN_IN = "filters.drawn_in"  # the language the sidebar's lists last showed their choices in
SELECTION = "filters.selection"  # the Filters the sidebar built this run, read by every page

# Multiselect key → (URL parameter, Filters field, FilterOptions field)
LIST_FILTERS = {
    FILTER_REGIONS: ("region", "regions"),
    FILTER_BRANCHES: ("branch", "branches"),
    FILTER_CHANNELS: ("channel", "channels"),
    FILTER_SEGMENTS: ("segment", "segments"),
    FILTER_PRODUCTS: ("product", "products"),
    FILTER_TIERS: ("tier", "tiers"),
}
URL_LANGUAGE = "lang"
URL_MONTH = "month"
URL_FROM = "from"
URL_TO = "to"
URL_COMPARE = "compare"
URL_PRESENT = "present"  # ?present=1

# Page-only keys
CSI_AGAINST = "csi.against"
CSI_BRANCH = "csi.branch"
CSI_VIEW = "csi.view"
SENTIMENT_SOURCE = "sentiment.source"
BRANCHES_SORT = "branches.sort"
SENTIMENT_WHICH = "sentiment.which"
SENTIMENT_TREND_CHART = "sentiment.trend_chart"
SENTIMENT_NEGATIVE_CHART = "sentiment.negative_chart"
SENTIMENT_BRANCH_CHART = "sentiment.branch_chart"
COMPLAINTS_ICEBERG_SHARE = "complaints.iceberg_share"
REVIEW_MONTH = "review.month"  # the review page's own month picker; the month itself is FILTER_MONTH
REVIEW_DOWNLOAD = "review.download"
REVIEW_DOWNLOAD_PPTX = "review.download_pptx"
REVIEW_SLIDE = "slide"  # presentation mode: the section on screen, 1-based, in the URL
REVIEW_SLIDE_BACK = "review.slide_back"
REVIEW_SLIDE_NEXT = "review.slide_next"
REVIEW_SLIDE_REM = "review.slide_rem"  # the slide's rem in the reader's browser, which its charts follow

# Only widget values a page drew can be written by a browser; the access grant is never a widget.
# Shared: an analyst's unlocked passphrase session (pages/_access.py).
ANALYST_GRANT = "access.grant"

# The upload page (pages/imports.py).
UPLOAD_FILES = "upload.files"
UPLOAD_READINGS = "upload.readings"
UPLOAD_CHECKS = "upload.checks"
UPLOAD_LAST_IMPORT = "upload.last_import"
UPLOAD_LAST_UNDO = "upload.last_undo"
UPLOAD_UNDO_BATCH = "upload.undo_batch"
UPLOAD_UNDO_BUTTON = "upload.undo_button"
UPLOAD_UNDO_PENDING = "upload.undo_pending"
UPLOAD_UNDO_YES = "upload.undo_yes"
UPLOAD_UNDO_CANCEL = "upload.undo_cancel"
UPLOAD_SKIPPED_BATCH = "upload.skipped_batch"
UPLOAD_SKIPPED_DOWNLOAD = "upload.skipped_download"
UPLOADER_DRAWN = "upload.uploader_drawn"
LABELS_EDITOR = "labels.editor"
LABELS_SAVE = "labels.save"
LABELS_FILE = "labels.file"
LABELS_IMPORT = "labels.import"
LABELS_DOWNLOAD = "labels.download"
LABELS_SAVED = "labels.saved"
LABELS_FIELD = "labels.field"
UPLOAD_UNLOCK_FORM = "upload.unlock_form"
UPLOAD_UNLOCK_NAME = "upload.unlock_name"
UPLOAD_UNLOCK_PASSPHRASE = "upload.unlock_passphrase"
UPLOAD_LOCK_BUTTON = "upload.lock"
UPLOAD_SIGN_IN = "upload.sign_in"
UPLOAD_SIGN_OUT = "upload.sign_out"


def upload_kind(file_id: str) -> str:
    return f"upload.kind.{file_id}"


def upload_header_row(file_id: str) -> str:
    return f"upload.header_row.{file_id}"


def upload_date(file_id: str) -> str:
    return f"upload.date.{file_id}"


def upload_date_order(file_id: str) -> str:
    return f"upload.date_order.{file_id}"


def upload_dates_from(file_id: str) -> str:
    return f"upload.dates_from.{file_id}"


def upload_dates_to(file_id: str) -> str:
    return f"upload.dates_to.{file_id}"


def upload_answer(file_id: str, word: str) -> str:
    return f"upload.answer.{file_id}.{word}"


def upload_open_words(file_id: str) -> str:
    """The words no known scale has that the loaders asked about for this file (not a widget)."""
    return f"upload.open_words.{file_id}"


def upload_choice(file_id: str, column: str) -> str:
    return f"upload.choice.{file_id}.{column}"


def upload_open_choices(file_id: str) -> str:
    """The columns of numbers the loaders asked about for this file (not a widget)."""
    return f"upload.open_choices.{file_id}"


def upload_open_names(file_id: str) -> str:
    """The name fields fed choice numbers the loaders asked about, column -> field (not a widget)."""
    return f"upload.open_names.{file_id}"


def upload_name(file_id: str, column: str) -> str:
    return f"upload.name.{file_id}.{column}"


def upload_answers(file_id: str, kind: str, sheet: str | None) -> str:
    return f"upload.answers.{file_id}.{kind}.{sheet or ''}"


def upload_zero_na(file_id: str) -> str:
    """The rated columns whose 0s the analyst reads as not applicable (not a widget)."""
    return f"upload.zero_na.{file_id}"


def upload_zero_na_button(file_id: str) -> str:
    return f"upload.zero_na_button.{file_id}"


def upload_accept_items(file_id: str) -> str:
    return f"upload.accept_items.{file_id}"


def upload_sheet(file_id: str) -> str:
    return f"upload.sheet.{file_id}"


def upload_mapping(file_id: str, kind: str, sheet: str | None) -> str:
    return f"upload.mapping.{file_id}.{kind}.{sheet or ''}"


def upload_skip(file_id: str) -> str:
    return f"upload.skip.{file_id}"


def upload_skip_duplicates(file_id: str) -> str:
    return f"upload.skip_duplicates.{file_id}"


def upload_import(file_id: str) -> str:
    return f"upload.import.{file_id}"


def upload_report(file_id: str) -> str:
    return f"upload.report.{file_id}"


def upload_template(kind: str) -> str:
    return f"upload.template.{kind}"

# The self-assessment page
ASSESSMENT_TEAM = "assessment.team"
ASSESSMENT_DATE = "assessment.date"
ASSESSMENT_SAVED = "assessment.saved"  # the id of the assessment saved in this session, left out of "last"


def assessment_answer(section: str, number: int) -> str:
    return f"assessment.answer.{section}.{number}"

# The follow-up page
FOLLOW_UP_STATUS = "follow_up.status"   # in the URL: the statuses shown
FOLLOW_UP_SOURCE = "follow_up.source"   # in the URL: the kinds of item shown
FOLLOW_UP_EDITS = "follow_up.edits"     # how many savings this session made: a new editor after each
FOLLOW_UP_SAVE = "follow_up.save"
FOLLOW_UP_SAVED = "follow_up.saved"     # what the last saving or file did, shown once
FOLLOW_UP_FILE = "follow_up.file"
FOLLOW_UP_IMPORT = "follow_up.import"
FOLLOW_UP_DOWNLOAD = "follow_up.download"
FOLLOW_UP_PAGE = "follow_up.page"       # which page of the list is drawn
FOLLOW_UP_PAGE_OF = "follow_up.page_of"  # the selection that page is of: another starts at the first
FOLLOW_UP_PENDING = "follow_up.pending"  # the editor's unsaved changes by item, kept across the list's pages
FOLLOW_UP_DISCARD = "follow_up.discard"
FOLLOW_UP_DRAWN = "follow_up.drawn"      # the editor drawn last and the unsaved edits drawn into its data


def follow_up_editor(edits: int, page: int = 1, items: str = "") -> str:
    # a grid of its own per page of the list and per order of its items (presentation.follow_up
    # page_identity): the editor keeps its edits by row number
    return f"follow_up.editor.{edits}.{page}.{items}"

# The Imports page's customer tiers
TIERS_FORM = "tiers.form"
TIERS_WORDS = "tiers.words"
TIERS_SAVE = "tiers.save"
TIERS_SAVED = "tiers.saved"  # the rows a change moved, shown once after the rerun


def tiers_rule(name: str) -> str:
    return f"tiers.rule.{name}"


# Targets and alert rules on the Imports page (pages/imports.py).
TARGET_METRIC = "imports.target_metric"
TARGET_PLACE = "imports.target_place"
TARGET_VALUE = "imports.target_value"
TARGET_SAVE = "imports.target_save"
TARGET_CLEAR = "imports.target_clear"
TARGET_DONE = "imports.target_done"
RULES_FORM = "imports.rules_form"


def rule_enabled(rule: str) -> str:
    return f"imports.rule_enabled.{rule}"


def rule_threshold(rule: str) -> str:
    return f"imports.rule_threshold.{rule}"
