"""Help desks' ticket exports read as complaint logs, NPS tools' exports as NPS responses, and
headers that begin with a field's word but name something else about it.

The layouts are the column lists Freshdesk's and Zendesk's ticket exports write (their help pages
list them); the rows are made here. Before, Freshdesk's "Customer interactions" (how many times the
customer wrote, 1 to 4) became the customer id, its "Subject" and "Source" were left out, and two
counts (Freshdesk's interactions, Zendesk's "Group stations") read as ratings made the loaders ask
whether a ticket log was a survey. In a survey, "Customer satisfaction" became the customer id, and
"Customer since" an NPS file's.
"""
from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from loaders.columns import match_fields
from loaders.errors import KindDecisionNeeded, ValidationError
from presentation.problems import problem_line
from loaders.importer import import_file, prepare

FRESHDESK = ("Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group", "Created time",
             "Due by Time", "Resolved time", "Closed time", "Last update time", "Initial response time",
             "Time tracked", "First response time (in hrs)", "Resolution time (in hrs)", "Agent interactions",
             "Customer interactions", "Resolution status", "First response status", "Tags", "Survey results",
             "Product", "Full name", "Contact ID")
ZENDESK = ("Summation column", "Id", "Requester", "Requester id", "Requester external id", "Requester email",
           "Subject", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at", "Solved at",
           "Satisfaction Score", "Group stations", "Assignee stations", "Reopens", "Replies",
           "First reply time in minutes", "Full resolution time in minutes")
SUBJECTS = ("Refund not received for my order", "Charged twice on my card", "App crashes when I log in",
            "Parcel arrived a week late")
STATUSES = ("Closed", "Resolved", "Open", "Pending", "Waiting on Customer")


def _when(i: int) -> datetime:
    return datetime(2026, 10, 1, 9) + timedelta(hours=7 * i)


def _stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else ""


def _write_csv(path: Path, header: tuple[str, ...], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def freshdesk_file(folder: Path, rows: int = 24) -> Path:
    lines = []
    for i in range(rows):
        status = STATUSES[i % len(STATUSES)]
        created = _when(i)
        resolved = created + timedelta(hours=10 + i) if status in ("Closed", "Resolved") else None
        lines.append([
            100 + i, SUBJECTS[i % 4], status, ("Low", "Medium", "High", "Urgent")[i % 4],
            ("Email", "Phone", "Portal")[i % 3], ("Refund", "Billing", "Technical issue", "Delivery")[i % 4],
            "Ana Silva", "Tier 1", _stamp(created), _stamp(created + timedelta(hours=48)), _stamp(resolved),
            _stamp(resolved + timedelta(hours=48) if status == "Closed" else None), _stamp(resolved or created),
            _stamp(created + timedelta(hours=1)), "00:00:00", "01:00:00",
            f"{10 + i:02d}:00:00" if resolved else "", 1 + i % 5, 1 + i % 4,
            "Within SLA" if resolved else "", "Within SLA", "refund", ("", "Awesome", "Not Good")[i % 3],
            ("Web shop", "Mobile app")[i % 2], "John Smith", 5000 + i % 7])
    return _write_csv(folder / "freshdesk_tickets.csv", FRESHDESK, lines)


def zendesk_file(folder: Path, rows: int = 24) -> Path:
    lines = []
    for i in range(rows):
        status = ("Solved", "Closed", "Open", "Pending", "Hold", "New")[i % 6]
        created = _when(i)
        solved = created + timedelta(hours=5 + i) if status in ("Solved", "Closed") else None
        lines.append([
            1, 5000 + i, "Ann Lee", 900000 + i % 9, "", "ann@example.com", SUBJECTS[i % 4], status,
            ("Low", "Normal", "High")[i % 3], ("Mail", "Web form", "Chat")[i % 3],
            ("Question", "Incident", "Problem")[i % 3], _stamp(created), _stamp(solved or created),
            _stamp(solved), ("Offered", "Good", "Bad")[i % 3], 1 + i % 3, 1 + i % 2, i % 3, i % 6,
            10 + i, 300 + i if solved else ""])
    return _write_csv(folder / "zendesk_tickets.csv", ZENDESK, lines)


def test_a_freshdesk_export_is_a_complaint_log_with_its_fields(con, tmp_path):
    path = freshdesk_file(tmp_path)
    mapping = prepare(con, path).mapping
    assert mapping.kind == "complaints"
    assert mapping.fields == {
        "complaint_ref": "Ticket ID", "description": "Subject", "status": "Status", "severity": "Priority",
        "channel": "Source", "cause": "Type", "received_at": "Created time", "resolved_at": "Resolved time",
        "product": "Product", "customer_id": "Contact ID", "satisfaction_after": "Survey results"}
    # its survey's three answers, on their own set
    assert mapping.answers["Survey results"] == {"Not Good": 1.0, "Awesome": 3.0}
    # counts of messages are neither the customer nor ratings
    assert {"Agent interactions", "Customer interactions"} <= set(mapping.ignored)
    result = import_file(con, path)
    assert (result.rows_accepted, result.rows_rejected) == (24, 0)
    # rows 0, 5, 10, 15, 20 closed, 1, 6, ... resolved: 10 with a resolved time; 7 customers 5000-5006
    assert con.execute("SELECT count(resolved_at), count(DISTINCT customer_id), count(DISTINCT channel)"
                       " FROM complaint").fetchone() == (10, 7, 3)
    assert con.execute("SELECT description FROM complaint WHERE complaint_ref = '102'").fetchone() == (
        "App crashes when I log in",)


def test_a_zendesk_export_is_a_complaint_log_without_asking(con, tmp_path):
    path = zendesk_file(tmp_path)
    prepared = prepare(con, path)
    mapping = prepared.mapping
    assert mapping.kind == "complaints" and not prepared.decisions
    assert mapping.fields == {
        "complaint_ref": "Id", "customer_id": "Requester id", "description": "Subject", "status": "Status",
        "severity": "Priority", "channel": "Via", "cause": "Ticket type", "received_at": "Created at",
        "resolved_at": "Solved at", "satisfaction_after": "Satisfaction Score"}
    # Good or Bad, and Offered (sent, not answered) is no answer
    assert mapping.answers["Satisfaction Score"] == {"Bad": 1.0, "Good": 2.0, "Offered": None}
    import_file(con, path)
    # Zendesk's "Hold" is work under way (Action), as "on hold" was
    assert con.execute("SELECT DISTINCT handling_step FROM complaint WHERE status = 'Hold'").fetchall() == [
        ("action",)]
    assert con.execute("SELECT satisfaction_after, count(*) FROM complaint GROUP BY ALL ORDER BY 1").fetchall() == [
        (1.0, 8), (2.0, 8), (None, 8)]


def test_good_alone_beside_a_files_quality_scale_is_read_on_that_scale():
    from loaders.answers import read_answer_columns
    read = read_answer_columns({"a": ["Excellent", "Good", "Fair", "Poor"], "b": ["Good"]})
    assert (read["b"].answer_set, read["b"].scores) == ("quality_4", {"Good": 3.0})
    read = read_answer_columns({"c": ["Good", "Bad", "Offered"]})
    assert (read["c"].answer_set, read["c"].scores) == ("quality_2", {"Bad": 1.0, "Good": 2.0, "Offered": None})


@pytest.mark.parametrize("kind, header, field", [
    # what follows the field's word says which form of it the column is
    ("complaints", "Customer name", "customer_id"), ("complaints", "Client name", "customer_id"),
    ("complaints", "Customer email", "customer_id"), ("complaints", "Customer ID 客户编号", "customer_id"),
    ("complaints", "Ticket ID", "complaint_ref"), ("complaints", "Branch name", "branch"),
    ("complaints", "Store number", "branch"), ("complaints", "Region code", "region"),
    ("complaints", "Product type", "product"), ("survey", "Response ID", "respondent_id"),
    # something else about the customer, the ticket, the branch or the product
    ("complaints", "Customer interactions", None), ("complaints", "Customer since", None),
    ("survey", "Customer since", None), ("complaints", "Branch manager", None),
    ("survey", "Product rating", None), ("survey", "Channel satisfaction", None),
    # a complaint's, a ticket's or an issue's date, status or text are the field the rest names
    ("complaints", "Complaint Date", "received_at"), ("complaints", "Complaint Status", "status"),
    ("complaints", "Complaint Channel", "channel"), ("complaints", "Complaint Details", "description"),
    ("complaints", "Issue Description", "description"), ("complaints", "Customer Complaint", "description"),
    ("complaints", "Ticket type", "cause"), ("complaints", "Case Status", "status"),
    ("complaints", "Complaint Text", "description"), ("complaints", "Complaint Outcome", None),
    ("complaints", "Complaint Resolution Date", "resolved_at"), ("complaints", "Resolution Date", "resolved_at"),
    ("survey", "LocationLatitude", None), ("complaints", "Responses", None),
    # their own fields
    ("survey", "Customer satisfaction", "overall_satisfaction"), ("survey", "Customer comments", "comment"),
    ("survey", "Customer Type", "segment"), ("complaints", "Subject", "description"),
    ("complaints", "Contact ID", "customer_id"),
])
def test_a_header_that_begins_with_a_fields_word(kind, header, field):
    assert match_fields(kind, [header]) == ({field: header} if field else {})


def test_customer_satisfaction_in_a_survey_is_its_overall_score(con, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Date,Branch,Customer satisfaction,Waiting time,Staff courtesy,Customer comments\n"
                    "2026-10-01,North,4,5,3,Great\n2026-10-02,North,2,4,2,Slow queue\n"
                    "2026-10-03,South,5,5,4,Lovely staff\n2026-10-04,South,3,3,3,ok\n", encoding="utf-8")
    mapping = prepare(con, path).mapping
    assert mapping.fields["overall_satisfaction"] == "Customer satisfaction"
    assert "customer_id" not in mapping.fields
    assert [r.column for r in mapping.ratings] == ["Waiting time", "Staff courtesy"]


def test_nps_tools_exports_name_their_date_and_score_their_own_way(con, tmp_path):
    # Delighted's export: "Created" with its UTC offset, "Person ID"; AskNicely's: "Responded" (day-first
    # dates here, which no cell shows: the analyst says so). Its "Answer" is too common a header (a
    # long export's answers to every question) to be taken for the score unasked: the analyst maps it.
    delighted = tmp_path / "delighted.csv"
    delighted.write_text(
        "Response ID,Person ID,Email,Name,Score,Comment,Permalink,Created,Updated,Tags\n"
        "8800001,p1,ann@example.com,Ann,9,Great service,https://example.com/r/1,2026-10-01 10:00:00 +0000,"
        "2026-10-01 11:00:00 +0000,\n"
        "8800002,p2,bo@example.com,Bo,3,Too slow,https://example.com/r/2,2026-10-02 10:30:00 +0000,"
        "2026-10-02 11:00:00 +0000,vip\n", encoding="utf-8")
    mapping = prepare(con, delighted).mapping
    assert mapping.kind == "nps"
    assert mapping.fields == {"customer_id": "Person ID", "score": "Score", "comment": "Comment",
                              "responded_at": "Created"}
    import_file(con, delighted)
    assert con.execute("SELECT customer_id, score, responded_at FROM nps_response ORDER BY responded_at").fetchall() == [
        ("p1", 9, datetime(2026, 10, 1, 10)), ("p2", 3, datetime(2026, 10, 2, 10, 30))]
    asknicely = tmp_path / "asknicely.csv"
    asknicely.write_text("Response ID,Sent,Responded,Name,Email,Answer,Comment,Segment,Branch,Status\n"
                         "1,05/10/2026 09:00,06/10/2026 10:00,Ann,a@example.com,10,great,Retail,North,responded\n"
                         "2,05/10/2026 09:05,07/10/2026 12:00,Bo,b@example.com,4,bad wait,SME,South,responded\n",
                         encoding="utf-8")
    fields = prepare(con, asknicely, kind="nps", date_order="dmy", overrides=["Answer=score"]).mapping.fields
    assert (fields["responded_at"], fields["score"], fields["branch"]) == ("Responded", "Answer", "Branch")
    assert "score" not in prepare(con, asknicely, kind="nps", date_order="dmy").mapping.fields


def test_a_12345_hotline_work_order_export_is_a_complaint_log(con, tmp_path):
    # a city service hotline's work orders (工单), GBK as its system writes them: the request's text
    # (诉求内容) is the description, 满意度评价 its follow-up's three answers, and 已退回 (sent back by
    # the unit to the hotline, to be assigned again) is at Listen, like a reopened complaint
    path = tmp_path / "12345工单.csv"
    path.write_bytes(("工单编号,来电时间,来电号码,诉求人,诉求类型,诉求内容,所属区域,承办单位,办理状态,办结时间,满意度评价\n"
                      "GD001,2026/10/1 9:05,13800000001,张先生,投诉,小区门口垃圾长期无人清理,天河区,区城管局,已办结,"
                      "2026/10/3 17:00,满意\n"
                      "GD002,2026/10/2 10:15,13800000002,李女士,投诉,物业乱收停车费,越秀区,区住建局,已回访,"
                      "2026/10/6 17:00,基本满意\n"
                      "GD003,2026/10/3 11:20,13800000003,王先生,投诉,公交车司机态度恶劣,海珠区,交通集团,已退回,,\n"
                      "GD004,2026/10/4 14:40,13800000004,赵女士,投诉,噪音扰民,天河区,区城管局,已办结,"
                      "2026/10/8 17:00,不满意\n").encode("gbk"))
    mapping = prepare(con, path).mapping
    assert mapping.kind == "complaints"
    assert mapping.fields == {"complaint_ref": "工单编号", "received_at": "来电时间", "description": "诉求内容",
                              "region": "所属区域", "status": "办理状态", "resolved_at": "办结时间",
                              "satisfaction_after": "满意度评价"}
    assert mapping.answers["满意度评价"] == {"不满意": 1.0, "基本满意": 2.0, "满意": 3.0}
    import_file(con, path)
    assert con.execute("SELECT complaint_ref, satisfaction_after, handling_step FROM complaint"
                       " ORDER BY complaint_ref").fetchall() == [
        ("GD001", 3.0, "satisfy"), ("GD002", 2.0, "satisfy"), ("GD003", None, "listen"), ("GD004", 1.0, "satisfy")]


def _rows(count: int, row) -> str:
    return "".join(row(i) for i in range(count))


def test_review_exports_are_surveys_of_one_rating_with_their_texts(con, tmp_path):
    # a review site's export: the stars are the overall satisfaction, the review the comment; stars
    # written as words ("4 stars") carry their number; 1 to 5 stars under "Rating" are no NPS score
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("Store name,Reviewer name,Star rating,Review text,Review date,Owner reply\n" + _rows(
        24, lambda i: f"{('Tianhe', 'Pudong')[i % 2]},User {i},{1 + i % 5},Review number {i},2026-10-{1 + i:02d},\n"),
        encoding="utf-8")
    mapping = prepare(con, reviews).mapping
    assert (mapping.kind, mapping.fields) == ("survey", {"branch": "Store name", "overall_satisfaction": "Star rating",
                                                         "comment": "Review text", "responded_at": "Review date",
                                                         "customer_id": "Reviewer name"})
    stars = tmp_path / "stars.csv"
    stars.write_text("Location,Rating,Review,Date\n" + _rows(
        25, lambda i: f"Tianhe,{1 + i % 5} star{'s' if i % 5 else ''},Review {i},\"Oct {1 + i}, 2026\"\n"),
        encoding="utf-8")
    mapping = prepare(con, stars).mapping
    # a review's lone "Rating" is its stars: the overall satisfaction, as "Star rating" above
    assert mapping.kind == "survey" and "score" not in mapping.fields and not mapping.ratings
    assert mapping.fields["overall_satisfaction"] == "Rating"
    assert mapping.answers["Rating"] == {"1 star": 1.0, "2 stars": 2.0, "3 stars": 3.0, "4 stars": 4.0, "5 stars": 5.0}
    import_file(con, stars)
    # 5 rows each of 1 to 5 stars: mean 3, on a 1-5 scale
    assert con.execute("SELECT count(overall_satisfaction), avg(overall_satisfaction), min(overall_scale_min),"
                       " max(overall_scale_max) FROM survey_response").fetchone() == (25, 3.0, 1, 5)


@pytest.mark.parametrize("header, scores", [
    ("Likelihood to recommend", [1, 2, 3, 4, 5]),   # the header says NPS: a bad month stays NPS
    ("Score", [0, 1, 2, 3, 5]),                     # a 0 is no star
])
def test_low_nps_answers_stay_nps(con, tmp_path, header, scores):
    path = tmp_path / "nps.csv"
    path.write_text(f"Date,{header},Comment\n" + _rows(
        25, lambda i: f"2026-10-{1 + i:02d},{scores[i % 5]},too slow\n"), encoding="utf-8")
    mapping = prepare(con, path).mapping
    assert (mapping.kind, mapping.fields.get("score")) == ("nps", header)


def test_a_salesforce_case_export_is_a_complaint_log_with_its_flags(con, tmp_path):
    # Salesforce Service Cloud's case report: Case Reason is the cause (Type is the kind of case), the
    # origin the channel, and its 0/1 columns ("Closed", "Escalated") are flags, never ratings: they
    # had made the loaders ask whether a case log was a survey
    path = tmp_path / "cases.csv"
    path.write_text("Case Number,Subject,Status,Priority,Case Origin,Date/Time Opened,Date/Time Closed,Type,"
                    "Case Reason,Description,Closed,Escalated\n" + _rows(
                        24, lambda i: f"{1000 + i:08d},Fee dispute,{('Closed', 'New', 'Working')[i % 3]},High,"
                                      f"{('Phone', 'Email')[i % 2]},10/{1 + i}/2026 9:00 AM,"
                                      f"{f'10/{2 + i}/2026 5:00 PM' if i % 3 == 0 else ''},Problem,"
                                      f"{('Billing', 'Performance')[i % 2]},The fee was charged twice,"
                                      f"{int(i % 3 == 0)},{int(i % 4 == 0)}\n"), encoding="utf-8")
    prepared = prepare(con, path)
    assert prepared.mapping.kind == "complaints" and not prepared.decisions
    assert prepared.mapping.fields == {
        "complaint_ref": "Case Number", "status": "Status", "severity": "Priority", "channel": "Case Origin",
        "received_at": "Date/Time Opened", "resolved_at": "Date/Time Closed", "cause": "Case Reason",
        "description": "Description", "escalated": "Escalated"}
    import_file(con, path)
    # 8 closed (every third), 6 escalated (every fourth)
    assert con.execute("SELECT count(resolved_at), count(*) FILTER (WHERE escalated) FROM complaint").fetchone() == (
        8, 6)


def test_basically_satisfied_is_the_middle_of_chinese_satisfaction_scales():
    from loaders.answers import read_answer_columns

    three = read_answer_columns({"满意度评价": ["满意", "基本满意", "不满意"]}, None)["满意度评价"]
    assert (three.answer_set, three.scores) == ("satisfaction_3", {"不满意": 1.0, "基本满意": 2.0, "满意": 3.0})
    # a government service evaluation's five answers: 基本满意 between 满意 and 不满意
    five = read_answer_columns({"评价": ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]}, None)["评价"]
    assert (five.answer_set, five.scores) == ("satisfaction_5", {
        "非常不满意": 1.0, "不满意": 2.0, "基本满意": 3.0, "满意": 4.0, "非常满意": 5.0})


@pytest.mark.parametrize("kind, header, field", [
    # the follow-up NPS tools put after the score, in their own words and in Chinese ones
    ("nps", "What is the primary reason for your score?", "comment"),
    ("nps", "Why did you give that score?", "comment"),
    ("nps", "What's the main reason for your rating?", "comment"),
    ("nps", "What is one thing we could do to improve?", "comment"),
    ("nps", "您给出该分数的主要原因是什么？", "comment"),
    ("nps", "为什么给出这个分数？", "comment"),
    ("nps", "请问您打这个分的理由是什么？", "comment"),
    ("survey", "Why did you give that score?", "comment"),
    # a Chinese question that addresses the respondent first (问卷网, 金数据)
    ("survey", "您的意见", "comment"), ("nps", "您的建议", "comment"), ("survey", "您对我们的建议", "comment"),
    ("survey", "请问您的会员编号", "customer_id"),
    # the branch asked as a question, or named by the visit
    ("nps", "Which store did you visit today?", "branch"),
    ("survey", "Store visited", "branch"),
    ("survey", "您去的是哪家分店？", "branch"),
    # the recommendation question under its metric's name
    ("survey", "Net Promoter Score", "likelihood_to_recommend"),
    ("survey", "净推荐值", "likelihood_to_recommend"),
    ("nps", "Net Promoter Score", "score"),
    ("nps", "Score reason", "comment"), ("nps", "NPS comment", "comment"),
    ("nps", "Please explain your rating", "comment"),
    # a reason asked alone is a choice (the visit's purpose), no comment
    ("survey", "What was the main reason for your visit today?", None),
    ("nps", "您选择我们的主要原因是什么？", None),
    # the recommendation's and the moment's other names, the place a business has many of
    ("nps", "LTR", "score"), ("nps", "推荐分值", "score"), ("nps", "作答时间", "responded_at"),
    ("nps", "门店名称", "branch"), ("survey", "所属网点", "branch"), ("survey", "Hotel", "branch"),
    ("survey", "Restaurant", "branch"), ("survey", "City", "region"), ("nps", "会员编号", "customer_id"),
    ("survey", "How would you rate your overall experience?", "overall_satisfaction"),
    ("survey", "您对本次就餐的整体评价", "overall_satisfaction"),
])
def test_survey_tools_question_wording_names_the_field(kind, header, field):
    assert match_fields(kind, [header]) == ({field: header} if field else {})


def test_an_nps_export_keeps_the_reason_for_the_score_and_a_form_its_net_promoter_score(con, tmp_path):
    # Alchemer's NPS export (its own columns first, then the questions) and a form tool's survey whose
    # 0-10 question is titled "Net Promoter Score". Before, the reason for each score was left out, so
    # the NPS file brought no comment, and the form's question was rated as a 0-10 satisfaction item.
    alchemer = _write_csv(tmp_path / "alchemer.csv", (
        "Response ID", "Time Started", "Date Submitted", "Status", "Contact ID", "Language", "SessionID",
        "IP Address", "Country", "City", "State/Region",
        "How likely are you to recommend us to a friend or colleague?",
        "Why did you give that score?"), [
        [100 + i, f"2026-10-{1 + i:02d} 10:00:00", f"2026-10-{1 + i:02d} 10:04:00", "Complete", f"C{i}", "English",
         f"s{i}", "10.0.0.1", "United Kingdom", "London", "England", i % 11, f"Reason number {i}" if i % 4 else ""]
        for i in range(24)])
    mapping = prepare(con, alchemer).mapping
    assert mapping.kind == "nps"
    assert mapping.fields["comment"] == "Why did you give that score?"
    assert mapping.fields["region"] == "State/Region"   # beside the City
    import_file(con, alchemer)
    # 24 rows, a reason on every row but the six with i % 4 == 0
    assert con.execute("SELECT count(*), count(comment) FROM nps_response").fetchone() == (24, 18)
    form = _write_csv(tmp_path / "form.csv", (
        "Submission Date", "Full Name", "How would you rate our service?", "Net Promoter Score", "Comments"), [
        [f"2026-10-{1 + i:02d}", f"Ann {i}", 1 + i % 5, i % 11, f"Comment {i}"] for i in range(24)])
    # one rating and a 0-10 score could be either kind: the loaders ask, and the analyst says survey
    with pytest.raises(KindDecisionNeeded):
        prepare(con, form)
    mapping = prepare(con, form, kind="survey").mapping
    assert mapping.fields["likelihood_to_recommend"] == "Net Promoter Score"
    assert [r.column for r in mapping.ratings] == ["How would you rate our service?"]


def test_jira_and_servicenow_exports_are_complaint_logs_with_their_keys_texts_and_dates(con, tmp_path):
    # Jira Service Management writes "05/Oct/26 2:30 PM" and names a request by its "Issue key" and
    # "Summary"; ServiceNow an incident by its "Number" and "Short description". Before, Jira's dates
    # stopped the import, and ServiceNow's number and description were left out.
    jira = _write_csv(tmp_path / "jira.csv", (
        "Issue key", "Summary", "Status", "Created", "Resolved", "Priority", "Reporter", "Request Type",
        "Satisfaction"), [
        [f"CS-{100 + i}", SUBJECTS[i % 4], ("Open", "Resolved")[i % 2], f"{1 + i:02d}/Oct/26 {1 + i % 12}:05 PM",
         f"{2 + i:02d}/Oct/26 9:30 AM" if i % 2 else "", "High", f"user{i}", "Billing question",
         ("Satisfied", "Very dissatisfied", "")[i % 3]] for i in range(12)])
    mapping = prepare(con, jira).mapping
    assert (mapping.kind, mapping.fields["complaint_ref"], mapping.fields["description"]) == (
        "complaints", "Issue key", "Summary")
    assert mapping.fields["satisfaction_after"] == "Satisfaction"
    import_file(con, jira)
    assert con.execute("SELECT complaint_ref, received_at, resolved_at FROM complaint ORDER BY received_at"
                       " LIMIT 2").fetchall() == [
        ("CS-100", datetime(2026, 10, 1, 13, 5), None),
        ("CS-101", datetime(2026, 10, 2, 14, 5), datetime(2026, 10, 3, 9, 30))]
    servicenow = _write_csv(tmp_path / "incidents.csv", (
        "Number", "Opened", "Short description", "Caller", "Priority", "State", "Category", "Assignment group",
        "Resolved", "Close notes"), [
        [f"INC00{1000 + i}", _stamp(_when(i)), SUBJECTS[i % 4], f"Caller {i}", "3 - Moderate",
         ("New", "Resolved")[i % 2], "Inquiry / Help", "Service Desk",
         _stamp(_when(i) + timedelta(hours=5)) if i % 2 else "", "Fixed" if i % 2 else ""] for i in range(12)])
    mapping = prepare(con, servicenow).mapping
    assert (mapping.kind, mapping.fields["complaint_ref"], mapping.fields["description"]) == (
        "complaints", "Number", "Short description")


def test_review_platform_exports_name_the_stars_the_text_and_the_overall_rating(con, tmp_path):
    # Trustpilot's review export begins every header with "Review"; a 大众点评 shop's export rates
    # 总体评分 beside its aspects. Before, Trustpilot's export was of no kind the loaders could tell,
    # and 总体评分 was one more aspect instead of the overall satisfaction.
    trustpilot = _write_csv(tmp_path / "trustpilot.csv", (
        "Review Created (UTC)", "Review Consumer User Id", "Review Title", "Review Content", "Review Stars",
        "Source Of Review", "Review Language", "Webshop Name", "Company Reply Date (UTC)", "Reply Content"), [
        [_stamp(_when(i)), f"u{i}", "Title", f"Review number {i}", 1 + i % 5, "Organic", "en", "Shop", "",
         "Thanks" if i % 3 else ""] for i in range(24)])
    mapping = prepare(con, trustpilot).mapping
    assert (mapping.kind, mapping.fields) == ("survey", {
        "responded_at": "Review Created (UTC)", "comment": "Review Content", "overall_satisfaction": "Review Stars"})
    dianping = _write_csv(tmp_path / "点评.csv", ("评价时间", "用户昵称", "门店", "总体评分", "口味", "环境", "服务",
                                                 "评价内容", "商家回复"), [
        [_stamp(_when(i)), f"用户{i}", ("人民广场店", "徐家汇店")[i % 2], 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5,
         1 + (i + 3) % 5, f"第{i}条评价", ""] for i in range(24)])
    mapping = prepare(con, dianping).mapping
    assert mapping.fields["overall_satisfaction"] == "总体评分"
    assert [r.column for r in mapping.ratings] == ["口味", "环境", "服务"]


def test_chat_and_chinese_help_desk_exports_keep_their_ids_texts_ratings_and_steps(con, tmp_path):
    # Intercom's conversations, Help Scout's (Great / Okay / Not Good ratings) and a Chinese help
    # desk's 工单 (Udesk's columns). Before, the conversation's id, its first message and its rating
    # were left out, 工单分类 was no cause, and snoozed, Active and 解决中 named no handling step.
    intercom = _write_csv(tmp_path / "intercom.csv", (
        "Conversation ID", "Created at", "Updated at", "Closed at", "State", "Assignee", "Tags",
        "Conversation rating", "Conversation rating remark", "Channel", "First message"), [
        [8800000 + i, _stamp(_when(i)), _stamp(_when(i)), _stamp(_when(i) + timedelta(hours=3)) if i % 3 == 1 else "",
         ("open", "closed", "snoozed")[i % 3], "Ann", "billing", ("1", "5", "")[i % 3], "", ("Chat", "Email")[i % 2],
         SUBJECTS[i % 4]] for i in range(12)])
    mapping = prepare(con, intercom).mapping
    assert {k: mapping.fields.get(k) for k in ("complaint_ref", "description", "satisfaction_after", "status")} == {
        "complaint_ref": "Conversation ID", "description": "First message",
        "satisfaction_after": "Conversation rating", "status": "State"}
    import_file(con, intercom)
    assert con.execute("SELECT status, handling_step, count(*) FROM complaint GROUP BY ALL ORDER BY status"
                       ).fetchall() == [("closed", "satisfy", 4), ("open", "listen", 4), ("snoozed", "action", 4)]
    helpscout = _write_csv(tmp_path / "helpscout.csv", (
        "Conversation #", "Subject", "Status", "Created", "Closed", "Customer", "Mailbox", "Type", "Rating"), [
        [1000 + i, SUBJECTS[i % 4], ("Active", "Closed")[i % 2], _stamp(_when(i)),
         _stamp(_when(i) + timedelta(hours=5)) if i % 2 else "", f"c{i}@example.com", "Support", "Refund",
         ("Great", "Okay", "Not Good", "")[i % 4]] for i in range(12)])
    mapping = prepare(con, helpscout).mapping
    assert mapping.fields["complaint_ref"] == "Conversation #"
    assert mapping.answers["Rating"] == {"Not Good": 1.0, "Okay": 2.0, "Great": 3.0}
    udesk = _write_csv(tmp_path / "工单.csv", (
        "工单编号", "工单标题", "工单描述", "工单状态", "优先级", "创建时间", "解决时间", "业务类别", "工单分类", "满意度"), [
        [f"#{5000 + i}", "扣款问题", f"信用卡被重复扣款，第{i}次反映", ("开启", "解决中", "已解决")[i % 3], "高",
         _stamp(_when(i)), _stamp(_when(i) + timedelta(hours=8)) if i % 3 == 2 else "", "信用卡", ("账户", "理财")[i % 2],
         ("满意", "一般", "不满意", "")[i % 4]] for i in range(12)])
    mapping = prepare(con, udesk).mapping
    assert {k: mapping.fields.get(k) for k in ("description", "cause", "product", "satisfaction_after")} == {
        "description": "工单描述", "cause": "工单分类", "product": "业务类别", "satisfaction_after": "满意度"}
    import_file(con, udesk)
    assert con.execute("SELECT handling_step, count(*) FROM complaint WHERE status = '解决中' GROUP BY ALL"
                       ).fetchall() == [("action", 4)]


@pytest.mark.parametrize("question, field", [
    # a question that asks for a rating of the branch is no branch, question mark or not
    ("How likely are you to recommend this branch?", "likelihood_to_recommend"),
    ("What would make you more likely to recommend us?", "comment"),
])
def test_a_question_about_the_branch_or_the_recommendation_is_read_by_its_answers(con, tmp_path, question, field):
    path = _write_csv(tmp_path / "survey.csv", ("Date", "Overall satisfaction", "Staff", "Speed", question), [
        [f"2026-10-{1 + i:02d}", 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5,
         i % 11 if field == "likelihood_to_recommend" else f"Answer {i}"] for i in range(24)])
    mapping = prepare(con, path, kind="survey").mapping
    assert mapping.fields.get(field) == question and "branch" not in mapping.fields


def test_a_complaints_register_kept_by_hand_maps_its_own_words(con, tmp_path):
    # a register a small business keeps in a spreadsheet, and a Chinese bank's 投诉登记表. Before,
    # "Received via" became the received time (its date left out), and the complainant, the nature of
    # the complaint, 登记日期, 投诉事项, 被投诉网点 and 结案日期 were left out.
    register = _write_csv(tmp_path / "register.csv", (
        "Date received", "Complainant", "Received via", "Nature of complaint", "Details of complaint",
        "Action taken", "Current status", "Date resolved"), [
        [f"2026-10-{1 + i:02d}", f"Client {i % 5}", ("Phone", "Email", "In person")[i % 3],
         ("Billing", "Staff attitude", "Delay")[i % 3], SUBJECTS[i % 4], "Called back",
         ("Open", "Closed")[i % 2], f"2026-10-{2 + i:02d}" if i % 2 else ""] for i in range(12)])
    mapping = prepare(con, register).mapping
    assert (mapping.kind, mapping.fields) == ("complaints", {
        "received_at": "Date received", "customer_id": "Complainant", "channel": "Received via",
        "cause": "Nature of complaint", "description": "Details of complaint", "status": "Current status",
        "resolved_at": "Date resolved"})
    bank = _write_csv(tmp_path / "投诉登记表.csv", (
        "登记日期", "投诉人", "被投诉网点", "投诉类型", "投诉事项", "结案日期"), [
        [f"2026-10-{1 + i:02d}", f"客户{i}", ("城东支行", "城西支行")[i % 2], ("收费", "服务态度")[i % 2],
         f"柜员未解释收费标准，第{i}次", f"2026-10-{3 + i:02d}" if i % 3 else ""] for i in range(12)])
    mapping = prepare(con, bank).mapping
    assert (mapping.kind, mapping.fields) == ("complaints", {
        "received_at": "登记日期", "customer_id": "投诉人", "branch": "被投诉网点", "cause": "投诉类型",
        "description": "投诉事项", "resolved_at": "结案日期"})


@pytest.mark.parametrize("numbers", [
    ("Q1. ", "Q2. ", "Q3. ", "Q4. "), ("1) ", "2) ", "3) ", "4) "), ("Q1_", "Q2_", "Q3_", "Q4_"),
    ("(1) ", "(2) ", "(3) ", "(4) "), ("一、", "二、", "三、", "四、"), ("第1题 ", "第2题 ", "第3题 ", "第4题 "),
])
def test_a_plain_spreadsheets_numbered_questions_are_read_without_their_numbers(con, tmp_path, numbers):
    # a questionnaire typed into a spreadsheet numbers its questions as a survey tool does. Before,
    # the number hid the comment ("Q4. Any comments?" was left out) and stayed in the items' texts.
    questions = ("Overall satisfaction", "Staff friendliness", "Speed of service", "Any comments?")
    path = _write_csv(tmp_path / "survey.csv", ("Date", *(n + q for n, q in zip(numbers, questions))), [
        [f"2026-10-{1 + i:02d}", 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5, f"Comment {i}"] for i in range(24)])
    mapping = prepare(con, path).mapping
    assert (mapping.fields["overall_satisfaction"], mapping.fields["comment"]) == (
        numbers[0] + questions[0], numbers[3] + questions[3])
    assert [(r.column, r.item_text) for r in mapping.ratings] == [
        (numbers[1] + questions[1], "Staff friendliness"), (numbers[2] + questions[2], "Speed of service")]


def test_a_number_that_goes_on_is_no_numbering():
    from loaders.platforms import NUMBERING
    assert [NUMBERING.sub("", text, count=1) for text in ("3.5 stars", "Q2_1", "1.1 Staff", "2024 budget")] == [
        "3.5 stars", "Q2_1", "1.1 Staff", "2024 budget"]


def test_a_chat_exports_conversation_text_is_no_complaint_id(con, tmp_path):
    path = _write_csv(tmp_path / "chats.csv", ("Created at", "Conversation", "Subject", "State"), [
        [_stamp(_when(i)), f"Customer: {SUBJECTS[i % 4]}. Agent: sorry to hear that, let me check the order for you.",
         SUBJECTS[i % 4], ("open", "closed")[i % 2]] for i in range(12)])
    assert "complaint_ref" not in prepare(con, path).mapping.fields


# --- public data sets' own layouts (stop 53) -------------------------------------------------------
# Each layout below is the column list of a public file as published (New York City's 311 service
# requests, the UCI ServiceNow incident event log, a Yelp and a Trustpilot review scrape, a Kaggle
# restaurant survey, a Dubai service centres' tablet survey, a Qualtrics export with preview rows);
# the rows are made here.

def test_a_city_service_request_log_maps_its_id_channel_descriptor_and_borough(con, tmp_path):
    # before: Unique Key, Open Data Channel Type and Descriptor were left out, City was the region
    # beside Borough, and Location's map positions "(40.69, -73.84)" became the branch, then Location
    # Type (what kind of place) did
    header = ("Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Descriptor",
              "Location Type", "City", "Status", "Resolution Description", "Borough", "Open Data Channel Type",
              "Latitude", "Longitude", "Location")
    rows = [[str(60000000 + i), f"10/{1 + i % 27:02d}/2026 09:1{i % 10}:00 AM", f"10/{2 + i % 27:02d}/2026 11:00:00 AM",
             ("NYPD", "DOT")[i % 2], ("Noise - Residential", "Street Condition")[i % 2],
             ("Loud Music/Party", "Pothole")[i % 2], ("Residential Building", "Street/Sidewalk")[i % 2],
             ("BROOKLYN", "Jamaica", "NEW YORK")[i % 3], "Closed",
             "The Police Department responded to the complaint.", ("BROOKLYN", "QUEENS", "MANHATTAN")[i % 3],
             ("PHONE", "ONLINE", "MOBILE")[i % 3], f"40.{690 + i}", f"-73.{840 + i}", f"(40.{690 + i}, -73.{840 + i})"]
            for i in range(30)]
    path = _write_csv(tmp_path / "311_Service_Requests.csv", header, rows)
    mapping = prepare(con, path).mapping
    assert mapping.kind == "complaints"
    assert {k: mapping.fields.get(k) for k in ("complaint_ref", "received_at", "resolved_at", "cause", "sub_cause",
                                               "region", "channel", "status", "branch")} == {
        "complaint_ref": "Unique Key", "received_at": "Created Date", "resolved_at": "Closed Date",
        "cause": "Complaint Type", "sub_cause": "Descriptor", "region": "Borough",
        "channel": "Open Data Channel Type", "status": "Status", "branch": None}
    result = import_file(con, path)
    assert (result.rows_accepted, result.rows_rejected) == (30, 0)
    assert con.execute("SELECT count(*) FILTER (WHERE channel = 'PHONE'), count(DISTINCT region)"
                       " FROM complaint").fetchone() == (10, 3)


def test_an_incident_log_maps_its_state_caller_and_contact_type(con, tmp_path):
    # ServiceNow's incident table as the UCI event log publishes it: before, incident_state,
    # caller_id and contact_type were left out
    header = ("number", "incident_state", "active", "reassignment_count", "caller_id", "opened_at", "contact_type",
              "location", "category", "subcategory", "priority", "resolved_at")
    rows = [[f"INC{i:07d}", ("New", "Active", "Resolved", "Closed")[i % 4], "true", str(i % 3),
             f"Caller {2400 + i}", f"{1 + i % 28:02d}/10/2026 01:16", "Phone", f"Location {i % 5}",
             f"Category {i % 4}", f"Subcategory {i % 6}", "3 - Moderate", ""] for i in range(24)]
    mapping = prepare(con, _write_csv(tmp_path / "incident_event_log.csv", header, rows)).mapping
    assert mapping.kind == "complaints"
    assert {k: mapping.fields.get(k) for k in ("complaint_ref", "status", "customer_id", "channel", "received_at")} == {
        "complaint_ref": "number", "status": "incident_state", "customer_id": "caller_id",
        "channel": "contact_type", "received_at": "opened_at"}


def test_a_review_scrape_is_asked_about_and_its_words_links_and_likes_kept_apart(con, tmp_path):
    # a Yelp scrape was taken for a complaint log without a word (its text the description, its
    # stars the satisfaction after resolution); stars with the customer's words are asked about
    yelp = _write_csv(tmp_path / "yelp.csv", ("", "city", "date", "id", "rating", "state", "text", "username"), [
        [str(i), "Washington", f"2026-10-{1 + i:02d}", f"kTdd{i}Ce_gsj7HFbY", str(1 + i % 5), " DC",
         f"Review {i}: the dinner was {('awful', 'fine', 'great')[i % 3]}", f"user{i}"] for i in range(25)])
    with pytest.raises(KindDecisionNeeded) as asked:
        prepare(con, yelp)
    assert {e.kind for e in asked.value.candidates if e.score > 0} >= {"survey", "complaints"}
    mapping = prepare(con, yelp, kind="survey").mapping
    assert {k: mapping.fields.get(k) for k in ("overall_satisfaction", "comment", "responded_at", "customer_id")} == {
        "overall_satisfaction": "rating", "comment": "text", "responded_at": "date", "customer_id": "username"}
    # Trustpilot's scrape: its date is "published", its "likes" (0 to 4 people) are no rating, and its
    # "source" (the review's web address) is no channel
    trustpilot = _write_csv(tmp_path / "lemonade_reviews.csv", (
        "id", "filtered", "pending", "text", "rating", "title", "likes", "experienced", "published", "source"), [
        [f"660c{i:04d}e8", "False", "False", f"Claim {i} paid {('fast', 'late')[i % 2]}", str(1 + i % 5),
         f"Title {i}", str(i % 5), f"2026-10-{1 + i:02d}T00:00:00.000Z", f"2026-10-{1 + i:02d}T16:34:12.000Z",
         f"https://www.trustpilot.com/review/lemonade.com?page={i}"] for i in range(25)])
    mapping = prepare(con, trustpilot, kind="survey").mapping
    assert {k: mapping.fields.get(k) for k in ("overall_satisfaction", "comment", "responded_at", "channel")} == {
        "overall_satisfaction": "rating", "comment": "text", "responded_at": "published", "channel": None}
    assert not mapping.ratings
    result = import_file(con, trustpilot, kind="survey")
    assert (result.rows_accepted, result.rows_rejected) == (25, 0)
    # 5 of each of 1 to 5 stars
    assert con.execute("SELECT avg(overall_satisfaction) FROM survey_response").fetchone()[0] == 3.0


def test_a_data_sets_coded_and_counted_columns_are_no_ratings(con, tmp_path):
    # a Kaggle restaurant survey: before, GroupSize (1 to 9 diners) was a 1-10 item and
    # HighSatisfaction (0 or 1) a 1-5 item whose 0s were "not applicable"
    header = ("CustomerID", "Age", "Gender", "GroupSize", "OnlineReservation", "ServiceRating", "FoodRating",
              "AmbianceRating", "HighSatisfaction")
    rows = [[str(700 + i), str(20 + i), ("Male", "Female")[i % 2], str(1 + i % 9), str(i % 2), str(1 + i % 5),
             str(1 + (i + 1) % 5), str(1 + (i + 2) % 5), str(int(i % 5 >= 3))] for i in range(30)]
    mapping = prepare(con, _write_csv(tmp_path / "restaurant_customer_satisfaction.csv", header, rows),
                      fieldwork_date="2026-10-15").mapping
    assert [r.column for r in mapping.ratings] == ["ServiceRating", "FoodRating", "AmbianceRating"]
    # a Dubai service centres' tablet survey: CENTER is the branch, its coded demographics no items
    header = ("CENTER", "GENDER", "ACADEMIC", "NATIONALITY", "SECTOR", "Dim1.1", "Dim1.2", "NPS")
    rows = [[str(1 + i % 4), str(1 + i % 2), str((5, 7, 8)[i % 3]), str(1 + i % 6), str(1 + i % 4),
             str(1 + i % 5), str(1 + (i + 2) % 5), str(i % 11)] for i in range(30)]
    mapping = prepare(con, _write_csv(tmp_path / "Centers_Master.csv", header, rows),
                      fieldwork_date="2026-10-15").mapping
    assert mapping.fields.get("branch") == "CENTER"
    assert [r.column for r in mapping.ratings] == ["Dim1.1", "Dim1.2"]
    assert mapping.fields.get("likelihood_to_recommend") == "NPS"


QUALTRICS_ROWS = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/Denver"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/Denver"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"America/Denver"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("Q2_1", "How satisfied are you with the following? - Food", '{"ImportId":"QID2_1"}'),
    ("Q2_2", "How satisfied are you with the following? - Service", '{"ImportId":"QID2_2"}'),
    ("Q13", "In a sentence or two, please describe how you feel about the options on our menu.",
     '{"ImportId":"QID13_TEXT"}'),
)


@pytest.mark.parametrize("statuses", [
    ("IP Address", "Survey Preview", "Spam", "Survey Test"),   # the export's words
    ("0", "1", "8", "2"),                                      # a numeric export's codes
])
def test_a_qualtrics_exports_previews_tests_and_spam_are_left_out(con, tmp_path, statuses):
    # before: the survey's preview and test runs were imported as customers' answers, and its
    # free-text question ("please describe ...") was left out
    rows = []
    for i in range(20):
        status = statuses[0] if i >= 4 else statuses[1 + i % 3]   # rows 4, 5, 6, 7 of the file: 1, 2, 3, 1
        rows.append([f"2026-10-{1 + i:02d} 10:00:00", f"2026-10-{1 + i:02d} 10:05:00", status, "100", "True",
                     f"2026-10-{1 + i:02d} 10:05:01", f"R_{i:04d}abc", "preview" if i < 4 else "anonymous",
                     str(1 + i % 5), str(5 - i % 5), f"Tacos number {i} were {('good', 'too spicy')[i % 2]}"])
    path = tmp_path / "qualtrics.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for line in range(3):
            writer.writerow([column[line] for column in QUALTRICS_ROWS])
        writer.writerows(rows)
    prepared = prepare(con, path)
    assert prepared.mapping.fields.get("comment") == "Q13"
    assert ("test_responses_left_out", {"count": "4", "rows": "4-7", "column": "Status",
                                        "statuses": ", ".join(sorted(set(statuses[1:])))}) in prepared.source.notices
    result = import_file(con, path)
    assert (result.rows_accepted, result.rows_rejected) == (16, 0)
    assert con.execute("SELECT min(respondent_id), count(*) FROM survey_response").fetchone() == ("R_0004abc", 16)


def test_a_complaint_list_without_dates_asks_for_one(con, tmp_path):
    # before: "no column for 'Received'", exit 1, where a survey without dates asks for --date
    path = _write_csv(tmp_path / "complaints.csv", ("Customer_ID", "Complaint", "Category"), [
        [f"C{i}", f"The app logged me out {i} times", ("Billing", "App")[i % 2]] for i in range(12)])
    prepared = prepare(con, path)
    assert [d.code for d in prepared.decisions] == ["no_date"]
    assert "the date each complaint was received" in prepared.decisions[0].message
    result = import_file(con, path, fieldwork_date="2026-10-15")
    assert (result.kind, result.rows_accepted) == ("complaints", 12)
    assert con.execute("SELECT DISTINCT received_at FROM complaint").fetchall() == [(datetime(2026, 10, 15),)]


@pytest.mark.parametrize("kind, header, field", [
    ("nps", "user_id", "customer_id"), ("nps", "User", "customer_id"), ("complaints", "title", "description"),
    ("survey", "EndDate", "responded_at"), ("survey", "answer_datetime", "responded_at"),
    ("complaints", "Unique Key", "complaint_ref"), ("complaints", "incident_state", "status"),
    ("complaints", "投诉详情", "description"), ("complaints", "投诉问题", "cause"),
    ("survey", "ReviewID", "respondent_id"), ("survey", "ReviewBody", "comment"),
    # a government message board's letters (留言), a review site's merchant, a shopping district
    ("complaints", "留言编号", "complaint_ref"), ("complaints", "留言用户", "customer_id"),
    ("complaints", "留言时间", "received_at"), ("complaints", "留言详情", "description"),
    ("complaints", "答复时间", "resolved_at"), ("complaints", "一级分类", "cause"),
    ("survey", "商家名称", "branch"), ("survey", "商区", "region"), ("survey", "创建时间", "responded_at"),
    ("survey", "评分", "overall_satisfaction"), ("survey", "问卷序号", "respondent_id"),
    ("nps", "Market", "region"), ("nps", "membership_id", "customer_id"),
    ("nps", "Recommandation Score", "score"), ("survey", "Recommendation score", "likelihood_to_recommend"),
])
def test_public_files_headers_name_their_fields(kind, header, field):
    assert match_fields(kind, [header]) == {field: header}


def test_an_nps_answer_of_not_applicable_is_named_as_such(con, tmp_path):
    # a public NPS export answers NA where the respondent gave no score: the mapping reads NA as not
    # applicable, and the rows were then reported "is empty (value 'NA') ... Fill in the score"
    path = _write_csv(tmp_path / "nps.csv", ("Date", "Score", "Comment"), [
        [f"2026-10-{1 + i:02d}", ("NA", "Don't know")[i % 2] if i % 7 == 0 else str(i % 11), f"ok {i}"]
        for i in range(28)])
    with pytest.raises(ValidationError) as refused:
        import_file(con, path)
    problems = refused.value.problems
    # rows 0, 7, 14, 21 of the data: file rows 2, 9, 16, 23
    assert [(p.row, p.value, p.code) for p in problems] == [
        (2, "NA", "not_applicable"), (9, "Don't know", "not_applicable"), (16, "NA", "not_applicable"),
        (23, "Don't know", "not_applicable")]
    assert problem_line(problems[0], "en") == (
        "nps.csv, row 2, column 'Score': is a not-applicable answer, which gives no Recommend score (0-10)"
        " (value 'NA'). Each row needs the Recommend score (0-10): import the good rows and skip these"
        " (--skip-invalid on the command line), or fill it in.")
    result = import_file(con, path, skip_invalid=True)
    assert (result.rows_accepted, result.rows_rejected) == (24, 4)


def test_a_scrapes_review_time_is_its_date_not_the_scrapes(con):
    # a 大众点评 scrape: comment_at (2010-2021) is when the review was written, created_at when the row
    # was scraped; every review had landed on the scrape's day
    assert match_fields("survey", ["id", "username", "comment", "comment_at", "created_at"])["responded_at"] == \
        "comment_at"


def test_codes_yes_no_flags_and_periods_are_no_text_score_or_rating(con, tmp_path):
    # a store's IT complaints: "Complaint" holds the ids (IT00001) and Title the words; a clothing
    # shop's "Recommended" is 1 or 0; an NPS workbook's Quarter (1-4) and Month (1-12) are periods
    complaints = _write_csv(tmp_path / "Complaints.csv", ("Complaint", "Date", "Site", "Title"), [
        [f"IT{i:05d}", f"2026-10-{1 + i:02d}", f"S{1430 + i % 3}", ("system not booting", "laptop not working")[i % 2]]
        for i in range(12)])
    mapping = prepare(con, complaints).mapping
    assert (mapping.kind, mapping.fields.get("complaint_ref"), mapping.fields.get("description")) == (
        "complaints", "Complaint", "Title")
    reviews = _write_csv(tmp_path / "reviews.csv", ("Review", "Rating", "Recommended", "Date"), [
        [f"Dress number {i} fits {('well', 'badly')[i % 2]}", str(1 + i % 5), str(int(i % 4 != 0)), f"2026-10-{1 + i:02d}"]
        for i in range(24)])
    assert "likelihood_to_recommend" not in prepare(con, reviews, kind="survey").mapping.fields
    nps = _write_csv(tmp_path / "nps.csv", ("ID", "Market", "Month", "Quarter", "Recommandation Score", "Date"), [
        [str(i), ("US", "UK", "MEX")[i % 3], str(1 + i % 12), str(1 + i % 4), str(i % 11), f"2026-10-{1 + i % 28:02d}"]
        for i in range(30)])
    mapping = prepare(con, nps).mapping
    assert (mapping.kind, mapping.fields.get("score"), mapping.fields.get("region")) == (
        "nps", "Recommandation Score", "Market")
    assert not [r for r in prepare(con, nps, kind="survey").mapping.ratings if r.column in ("Month", "Quarter")]


def test_an_overall_satisfaction_named_by_hand_has_its_scale(con, tmp_path):
    # a 京东 review export's stars named with --map: the scale was left empty, and 61 rows were stored
    # with no scale to read them on
    path = _write_csv(tmp_path / "reviews.csv", ("用户打的星", "时间", "评论内容"), [
        [str(1 + i % 5), f"2026-10-{1 + i:02d} 10:00:00", f"评论{i}"] for i in range(25)])
    prepared = prepare(con, path, kind="survey", overrides=["用户打的星=overall_satisfaction", "时间=responded_at"])
    assert prepared.mapping.overall_scale == (1.0, 5.0)
    import_file(con, path, kind="survey", overrides=["用户打的星=overall_satisfaction", "时间=responded_at"])
    assert con.execute("SELECT DISTINCT overall_scale_min, overall_scale_max FROM survey_response").fetchall() == [
        (1.0, 5.0)]


def test_a_survey_whose_items_mix_numbers_and_words_is_asked_about_not_taken_for_a_log(con, tmp_path):
    # a passenger survey's items hold 0 to 10 and, in some rows, Good or Poor; with its words asked
    # about, its items still make it a survey (a "Complaint_Submitted" yes/no is no complaint log)
    words = ("Good", "10", "0", "Poor", "6", "3", "8")
    path = _write_csv(tmp_path / "passengers.csv", (
        "Passenger_ID", "Seat_Comfort", "Food_Quality", "Cleanliness", "Complaint_Submitted", "Survey_Date"), [
        [str(i), words[i % 7], words[(i + 2) % 7], words[(i + 4) % 7], ("Yes", "No")[i % 2], f"2026-10-{1 + i:02d}"]
        for i in range(21)])
    prepared = prepare(con, path)
    assert prepared.mapping.kind == "survey"
    assert [d.code for d in prepared.decisions] == ["answer_words"]
    assert prepared.decisions[0].values["words"] == ["good", "poor"]
    result = import_file(con, path, answers={"Good": 8, "Poor": 2})
    assert (result.rows_accepted, result.rows_rejected) == (21, 0)
    # Seat_Comfort: three times each of Good 8, 10, 0, Poor 2, 6, 3, 8: mean 37/7
    assert con.execute("SELECT avg(score) FROM survey_rating WHERE item_code = 'Seat_Comfort'").fetchone()[0] == \
        pytest.approx(37 / 7)
