"""Masking of customers' personal data for presentation mode and the report file: a rule set, tested
on a corpus of forms (tests/data/masking_corpus.csv).

What can be recognised in free text is masked whole, never in part:
- e-mail addresses, internationalised ones (用户@例子.广告) and obfuscated ones (wang [at] example
  [dot] com, li(at)mail(dot)cn, full-width ＠) -> •••@•••;
- ID numbers: Chinese resident ids (18 digits, the last may be X; the old 15 digits), passports and
  other ids that are letters then digits (E12345678, K1234567(8)), references (CMP-2026-000123);
- phone numbers and other long numbers: seven or more digits in groups joined by spaces, dots,
  hyphens, slashes or brackets, with or without +CC / 00CC ((021) 6234 5678, 137.1234.5601,
  +1 (415) 555-2671, +44 20 7946 0958); each masked digit becomes one •;
- names written with an honorific or a title (Mr Wang, MR LIU, Dr. O'Brien, 王先生, 王小明女士,
  李经理), after a cue that introduces a name (my name is …, Name: …, 我叫…, 联系人：…), and
  names already half masked (王小•先生, 王*明, 王某某), Chinese names masked character by character.

What stays readable: dates and times (2026-10-15, 15.10.2026, 2026年10月15日, 20261015, 13:45),
year ranges, amounts with a currency or thousands separators, decimals, percentages, scores
(9/10, NPS 45), counts, branch and product names, job titles without a name (客户经理很专业).
A name written without any cue (张伟投诉了, John Smith called) is not recognised in free text.

Identifier columns (customer ids, complaint references) are masked whole in every table.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

MASK = "•"
# What the rules write while they run: not a character any rule reads as part of a name.
_PENDING = "\x01"
# Characters that already stand for a masked letter in half-masked names.
_HIDDEN = "*＊•●×○〇"

# -- what stays: protected before any rule runs, put back after ---------------------------------
_KEEP = re.compile("|".join([
    r"(?<![0-9A-Za-z])(?:19|20)\d{2}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?![0-9])",                                                        # 2026-10-15 (13:45)
    r"(?<![0-9A-Za-z])\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?![0-9])",     # 15.10.2026, 10/15/2026
    r"(?<![0-9A-Za-z])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![0-9])",  # 20261015
    r"(?<![0-9A-Za-z])(?:19|20)\d{2}\s?[-–~至到]\s?(?:19|20)\d{2}(?![0-9])",  # 2025-2026
    r"(?<![0-9])\d{1,2}:\d{2}(?::\d{2})?(?![0-9])",                         # 13:45(:00)
    r"(?:[¥￥$€£]|RMB|CNY|USD|EUR|HKD)\s?\d[\d,]*(?:\.\d+)?",                 # ¥12345678, RMB 3000
    r"(?<![0-9.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![0-9,])",                  # 1,234,567.89
    r"(?<![0-9.])\d+\.\d+(?![0-9.])",                                       # 3.1415926
]))

# -- e-mails ------------------------------------------------------------------------------------
_AT = r"(?:@|＠|\s?[\[\(\{<]\s?(?:at|AT|At)\s?[\]\)\}>]\s?)"
_DOT = r"(?:\.|．|\s?[\[\(\{<]\s?(?:dot|DOT|Dot)\s?[\]\)\}>]\s?)"
# A local part in ASCII, or in letters of another script (用户@例子.广告), not both: Chinese text runs
# straight into an address (邮箱wang@example.com), and the words before it are not part of it.
_LOCAL = r"(?:[A-Za-z0-9._%+\-]+|[^\W\d_A-Za-z]+)"
_LABEL = r"(?:[A-Za-z0-9\-]+|[^\W_A-Za-z]+)"
_TLD = r"(?:[A-Za-z]{2,}|[^\W\d_A-Za-z]{2,})"
_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
    r"|[A-Za-z0-9._%+\-]+\s+(?:at|AT)\s+[A-Za-z0-9\-]+(?:\s+(?:dot|DOT)\s+[A-Za-z0-9\-]+)+")

# -- ids and references --------------------------------------------------------------------------
# A Chinese resident id: area (6), birth date (8, or 6 in the old 15-digit form), sequence and check
# digit, maybe in groups; matched before dates are kept, since its birth date alone looks like one.
_BIRTH = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_RESIDENT_ID = re.compile(
    rf"(?<![0-9A-Za-z])\d{{6}}[ \-]?(?:(?:18|19|20)\d{{2}}{_BIRTH}[ \-]?\d{{3}}[\dXx]|\d{{2}}{_BIRTH}[ \-]?\d{{3}})"
    r"(?![0-9A-Za-z])")
# letters, then digits
_LETTER_ID = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{1,3}[-_#/]?\d{6,12}(?:\s?\([0-9A]\))?"     # E12345678, K123456(7)
    r"|[A-Za-z]{1,6}[-_#/]\d{2,}(?:[-_/]\d+)+)(?![A-Za-z0-9])")           # CMP-2026-000123
_REFERENCE_DIGITS = 6

# -- long numbers: phones, ID numbers, cards ------------------------------------------------------
_SEP = r"[ \-.–—/·\u3000－]"
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9０-９.])(?:(?:\+|＋|00)\s?\d{{1,3}}{_SEP}?)?"           # +86, 0086, +1
    rf"(?:\(\s?\+?\d{{1,5}}\s?\){_SEP}?)?"                                  # (021), (0)
    rf"(?:\d+(?:{_SEP}{{1,2}}\(?\d{{2,}}\)?)+|\d{{2,}})(?:[Xx](?![A-Za-z]))?"   # 6234 5678, ...123X
    rf"(?![A-Za-z0-9０-９])")
_MIN_DIGITS = 7

# -- names ------------------------------------------------------------------------------------------
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Madame|Mister|Mdm|Mme|Mlle)"
_EN_HONORIFIC = re.compile(rf"\b({_HONORIFIC})\b(\.?)(\s+)", re.IGNORECASE)
_EN_WORD = re.compile(r"(?:[A-Z]\.|[A-Za-z][A-Za-z'’\-]*)")
_EN_CUE = re.compile(
    r"\b(?:(?:my name is|name is)\s+|(?:full name|customer name|name|contact|signed|regards|sincerely)"
    r"\s*[:：,]\s*)", re.IGNORECASE)
_EN_LOOSE_CUE = re.compile(r"\b(?:I am|I'm|I’m|this is)\s+", re.IGNORECASE)
_EN_STOP = {"and", "or", "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "is", "was", "were", "are",
            "be", "said", "says", "told", "who", "that", "this", "it", "he", "she", "they", "we", "you", "i",
            "please", "thanks", "thank", "very", "not", "no", "yes", "also", "again", "here", "there", "when",
            "customer", "branch", "bank", "team", "service", "staff", "manager", "support"}
_EN_HALF = re.compile(rf"(?<![A-Za-z])[A-Z][{_HIDDEN}]{{2,}}(?:\s+[A-Z][a-z'’\-]+)?")

_SURNAMES_2 = ("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 "
               "百里 呼延 澹台 钟离 宗政 濮阳 淳于 单于 太史 申屠 公羊").split()
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛"
    "樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫"
    "米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相"
    "初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅"
    "利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
_TITLES = ("先生|女士|小姐|太太|夫人|阿姨|大姐|大哥|大爷|大妈|师傅|老师|经理|主任|行长|科长|处长|局长|同志|老板|医生|"
           "律师|教授|博士")
_ZH_TITLE = re.compile(_TITLES)
_ZH_CUE = re.compile(r"(?:我叫|我是|本人是|本人|我的名字是|名字是|名叫|姓名|客户姓名|客户名|户名|联系人|签名|署名|投诉人|"
                     r"申请人|持卡人)\s*[:：]?\s*")
# Characters that do not belong to a name: they end a look-back for the name before a title.
_NOT_NAME = set("的了是在和与跟给叫请谢感您你我他她们位这那个说向对被把让找问等就也都还又很及或为由从到自而且但即称姓"
                # places and organisations: a branch (王府井支行经理) is not a name
                "支行店厅部处司局院所区路街镇村市省县门楼层号卡户客务业服营柜台网点城府井")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_HALF = re.compile(rf"(?:{'|'.join(_SURNAMES_2)}|[{''.join(sorted(_SURNAMES_1))}])"
                      rf"(?:[\u4e00-\u9fff]?[{_HIDDEN}xX]+(?:(?!{_TITLES})[\u4e00-\u9fff])?|某{{1,2}})")


def mask_text(text: str | None) -> str | None:
    """The text with every e-mail, ID number, phone number and recognisable name masked whole."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return text
    text = str(text).replace(_PENDING, "")
    text = _EMAIL.sub(lambda m: f"{_PENDING * 3}@{_PENDING * 3}", text)
    text = _RESIDENT_ID.sub(lambda m: _blot(m.group(0)), text)
    text = _LETTER_ID.sub(_mask_reference, text)
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _KEEP.sub(keep, text)
    text = _NUMBER.sub(_mask_number, text)
    text = _mask_english_names(text)
    text = _mask_chinese_names(text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return text.replace(_PENDING, MASK)


def _blot(text: str) -> str:
    """Every letter and digit of `text` as one mask character (separators go too)."""
    return _PENDING * sum(ch.isalnum() for ch in text)


def _mask_reference(match: re.Match) -> str:
    value = match.group(0)
    return _blot(value) if sum(ch.isdigit() for ch in value) >= _REFERENCE_DIGITS else value


def _mask_number(match: re.Match) -> str:
    value = match.group(0)
    return _blot(value) if sum(ch.isdigit() for ch in value) >= _MIN_DIGITS else value


def _english_name_at(text: str, start: int, *, loose_case: bool, all_caps: bool, words: int = 3) -> int:
    """Where a name that starts at `start` ends (== start: no name there)."""
    end = start
    for i in range(words):
        gap = re.match(r"\s+", text[end:]) if i else None
        at = end + (gap.end() if gap else 0)
        if i and not gap:
            break
        word = _EN_WORD.match(text, at)
        if not word:
            break
        value = word.group(0)
        if all_caps:
            fits = value.isupper()
        elif value[0].isupper():
            fits = True
        else:
            fits = loose_case and i == 0
        if not fits or value.lower() in _EN_STOP:
            break
        end = word.end()
    return end


def _mask_english_names(text: str) -> str:
    spans = []
    for match in _EN_HONORIFIC.finditer(text):
        honorific = match.group(1)
        end = _english_name_at(text, match.end(), loose_case=honorific.islower(), all_caps=honorific.isupper()
                               and len(honorific) > 1)
        if end > match.end():
            spans.append((match.end(), end))
    for cue in (_EN_CUE, _EN_LOOSE_CUE):
        for match in cue.finditer(text):
            end = _english_name_at(text, match.end(), loose_case=False, all_caps=False)
            name = text[match.end():end]
            if cue is _EN_LOOSE_CUE and len(name.split()) < 2:
                continue  # "I am Happy": a loose cue needs a first and a last name
            if end > match.end():
                spans.append((match.end(), end))
    spans += [m.span() for m in _EN_HALF.finditer(text)]
    return _replace_spans(text, spans, lambda name: _PENDING * 3)


def _is_surname_start(name: str) -> bool:
    return name[:2] in _SURNAMES_2 or name[:1] in _SURNAMES_1


def _name_before(text: str, end: int) -> int:
    """Where the name that ends at `end` (just before a title) starts (== end: none)."""
    best = end
    for size in (1, 2, 3, 4):
        start = end - size
        if start < 0:
            break
        name = text[start:end]
        if not all(_CJK.match(ch) or ch in _HIDDEN for ch in name):
            break
        if size > 1 and any(ch in _NOT_NAME for ch in name):
            break
        if _is_surname_start(name) and (size < 4 or name[:2] in _SURNAMES_2):
            best = start
    return best


def _name_after(text: str, start: int) -> int:
    """Where a name that starts at `start` (after a cue) ends (== start: none): a surname and one or
    two more characters, followed by no further Chinese character (or by a title)."""
    if not _is_surname_start(text[start:start + 2]):
        return start
    for size in (4, 3, 2):
        name = text[start:start + size]
        if len(name) < size or not all(_CJK.match(ch) or ch in _HIDDEN for ch in name):
            continue
        if size == 4 and name[:2] not in _SURNAMES_2:
            continue
        if any(ch in _NOT_NAME for ch in name[1:]) or _ZH_TITLE.search(name, 1):
            continue
        after = text[start + size:start + size + 2]
        if not after or not _CJK.match(after[0]) or _ZH_TITLE.match(text, start + size):
            return start + size
    return start


def _mask_chinese_names(text: str) -> str:
    spans = []
    for match in _ZH_TITLE.finditer(text):
        start = _name_before(text, match.start())
        if start < match.start():
            spans.append((start, match.start()))
    for match in _ZH_CUE.finditer(text):
        end = _name_after(text, match.end())
        if end > match.end():
            spans.append((match.end(), end))
    spans += [m.span() for m in _ZH_HALF.finditer(text)]
    return _replace_spans(text, spans, lambda name: _PENDING * len(name))


def _replace_spans(text: str, spans: list[tuple[int, int]], replacement) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + replacement(text[start:end]) + text[end:]
    return text


_MASKED_RUN = re.compile(f"({MASK}+)")
# A font whose • is narrow: a Chinese font draws it full width, and a masked id then reads as
# letter-spaced dots; the report and the slides draw every run of • in it.
BULLET_FONT = "Arial"


def masked_runs(text: str) -> list[tuple[str, bool]]:
    """A text cut into its pieces, each with whether it is a run of mask bullets (one run per
    masked id, phone or name), for the report and the slides to draw those in BULLET_FONT."""
    return [(piece, bool(i % 2)) for i, piece in enumerate(_MASKED_RUN.split(str(text))) if piece]


def mask_id(value) -> str | None:
    """An identifier masked whole, one • per character: C000123 -> •••••••."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return MASK * len(str(value))


ID_COLUMNS = ("customer_id", "respondent_id", "complaint_ref", "complaint_id", "response_id", "name",
              "customer_name", "contact", "phone", "email")
TEXT_COLUMNS = ("text", "comment", "description", "verbatim")


# A file's header that names an identifier, a contact or a person (English and Chinese).
_IDENTIFYING_HEADER = re.compile(
    r"\bid\b|_id\b|ref|\bno\b|number|name|phone|mobile|mail|contact|passport|account|card|customer|"
    r"编号|单号|号码|客户|姓名|名字|电话|手机|邮箱|联系|证件|身份证|护照|账号|帐号|卡号", re.IGNORECASE)


def mask_problems(problems):
    """Rows' problems (loaders.errors.RowProblem) with each value masked: whole when its column names an
    identifier, a contact or a person (a complaint reference, a customer id), else by the text rules."""
    return tuple(replace(p, value=mask_id(p.value) if _IDENTIFYING_HEADER.search(str(p.column or "")) else
                         (mask_text(p.value) if isinstance(p.value, str) else p.value)) for p in problems)


def mask_frame(frame: pd.DataFrame, id_columns=ID_COLUMNS, text_columns=TEXT_COLUMNS) -> pd.DataFrame:
    """A copy of a table with its id columns and free-text columns masked."""
    masked = frame.copy()
    for column in masked.columns:
        if column in id_columns:
            masked[column] = masked[column].map(mask_id)
        elif column in text_columns:
            masked[column] = masked[column].map(mask_text)
    return masked
