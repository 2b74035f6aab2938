"""Tracker export (CSV, XLSX, formula-safe) and import (validated, all-or-nothing), end to end."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from adapters.console import ConsoleAdapter
from bot.platform import Capabilities
from bot.tracker import importer
from bot.tracker.importer import ImportRefused, read_capped, read_path
from bot.tracker.safety import neutralise, restore
from storage.models import Application, Contact, PracticeLog, StageChange
from tests.exports.helpers import count, files, one_file, rows

HEADER = (
    "Company,Role,Link,Stage,Date applied,Contact,What I learned,Next step,Follow-up date,Notes"
)


def write(tmp_path: Path, text: str, name: str = "tracker.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Stripe", "Stripe"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_and_restore(raw: str, safe: str) -> None:
    assert neutralise(raw) == safe
    assert restore(neutralise(raw)) == raw


async def test_xlsx_export_has_tracker_columns_and_no_formulas(cohort: ConsoleAdapter) -> None:
    await cohort.say(
        "alice",
        '/apply Stripe "Backend Engineer" url=https://stripe.com/jobs/1 contact="Jane Doe" '
        'notes="=HYPERLINK(""http://evil"",""click"")" next="+call" follow-up=fri',
    )
    await cohort.say(
        "alice", '/outreach "Jane Doe" company=Stripe how=coffee learned="@team uses Go"'
    )
    await cohort.say("alice", "/practice 45m -two pointers")
    reply = await cohort.ask("alice", "/export tracker")
    file = one_file(reply)
    assert file.filename == "alice-tracker-2026-11-18.xlsx"
    assert file.mime_type.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(file.content))
    assert book.sheetnames == ["Applications", "Contacts", "Practice log"]
    apps = [[c.value for c in row] for row in book["Applications"].iter_rows()]
    assert apps[0] == [
        "ID", "Company", "Role", "Link", "Stage", "Date applied", "Contact",
        "What I learned", "Next step", "Follow-up date", "Notes",
    ]  # fmt: skip
    assert apps[1][:7] == [
        "A1", "Stripe", "Backend Engineer", "https://stripe.com/jobs/1", "applied",
        apps[1][5], "Jane Doe",
    ]  # fmt: skip
    assert apps[1][5].date() == date(2026, 11, 18)
    assert apps[1][9].date() == date(2026, 11, 20)
    assert apps[1][8] == "'+call"
    assert apps[1][10].startswith("'=HYPERLINK")
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    contacts = [[c.value for c in row] for row in book["Contacts"].iter_rows()]
    assert contacts[1][1:5] == ["Jane Doe", "Stripe", "", "coffee"] or contacts[1][4] == "coffee"
    assert contacts[1][6] == "'@team uses Go"
    practice = [[c.value for c in row] for row in book["Practice log"].iter_rows()]
    assert practice[1][1:3] == [45, "'-two pointers"]
    # the console writes the file to disk, where a spreadsheet can open it
    text = cohort.render(reply)
    saved = Path(text.split("saved to ")[1].strip())
    assert saved.read_bytes() == file.content


async def test_csv_export_is_one_file_per_sheet_and_formula_safe(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply "=cmd|\' /C calc\'!A0" "@evil" notes="plain, with comma"')
    reply = await cohort.ask("alice", "/export tracker format=csv")
    names = [f.filename for f in files(reply)]
    assert names == [
        "alice-applications-2026-11-18.csv",
        "alice-contacts-2026-11-18.csv",
        "alice-practice-2026-11-18.csv",
    ]
    content = files(reply)[0].content
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][:3] == ["ID", "Company", "Role"]
    assert table[1][1] == "'=cmd|' /C calc'!A0"
    assert table[1][2] == "'@evil"
    assert table[1][10] == "plain, with comma"
    for row in table[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


async def test_export_of_one_sheet_and_an_empty_tracker(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("bob", "/export tracker format=csv what=contacts")
    (file,) = files(reply)
    assert file.content.decode("utf-8-sig").splitlines() == [
        "ID,Name,Company,Role,How,Date contacted,What I learned,Next step,Follow-up date"
    ]
    assert "0 contacts" in reply.plain_text()


# -- import -----------------------------------------------------------------------------------


async def test_import_writes_every_row_when_all_are_valid(
    cohort: ConsoleAdapter, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER + "\n"
        "Stripe,Backend Engineer,https://stripe.com/jobs/1,Phone screen,2026-11-02,Jane,"
        "They use Go,Email Jane,2026-11-25,From the meetup\n"
        "Acme,Junior Developer,,,2026-11-05,,,,,'=not a formula\n",
    )
    reply = await cohort.say("alice", f"/import tracker {path}")
    assert "Imported 2 applications" in reply, reply
    apps = await rows(cohort, Application)
    assert [(a.company, a.stage, a.applied_on) for a in apps] == [
        ("Stripe", "screen", date(2026, 11, 2)),
        ("Acme", "applied", date(2026, 11, 5)),
    ]
    assert apps[0].follow_up == date(2026, 11, 25)
    assert apps[0].notes == "From the meetup\nLearned: They use Go"
    assert apps[1].notes == "=not a formula"
    assert await count(cohort, StageChange) == 2
    # the follow-up comes back as a reminder like any other
    assert "Stripe" in await cohort.say("alice", "/apps")


async def test_import_is_all_or_nothing(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "\n"
        "Stripe,Backend Engineer,,applied,2026-11-02,,,,,\n"
        "Acme,Junior Developer,,applied,2026-02-30,,,,,\n"
        "Globex,Frontend,,hired?,2026-11-03,,,,,\n",
    )
    reply = await cohort.ask("alice", f"/import tracker {path}")
    text = cohort.render(reply)
    assert not reply.ok
    assert "Nothing imported: 2 of 3 rows have problems" in text
    assert "row 3: date `2026-02-30` is not a real date" in text
    assert "row 4: stage `hired?` is not one of" in text
    assert await count(cohort, Application) == 0
    reply = await cohort.ask("alice", f"/import tracker {path} skip-bad=yes")
    assert reply.ok
    assert "Imported 1 application. Skipped 2 bad rows." in reply.plain_text()
    assert [a.company for a in await rows(cohort, Application)] == ["Stripe"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (",Backend,,,2026-11-02,,,,,", "company is empty"),
        ("Acme,Dev,,,03/04/2026,,,,,", "ambiguous"),
        ("Acme,Dev,,,next week,,,,,", "is not a date"),
        ("Acme,Dev,,,2026-12-30,,,,,", "is in the future"),
        ("Acme,Dev,,,1999-01-01,,,,,", "too long ago"),
        ("Acme,Dev,javascript:alert(1),,2026-11-02,,,,,", "is not a web address"),
        ("Acme,Dev,,,2026-11-02,,,,2026-13-01,", "follow-up `2026-13-01` is not a real date"),
        ("Acme,Dev,,,2026-11-02,,,,,notes,extra", "a stray comma"),
        ("Acme," + "x" * 121 + ",,,2026-11-02,,,,,", "role is 121 characters long"),
    ],
)
async def test_malformed_rows_are_reported_and_nothing_written(
    cohort: ConsoleAdapter, tmp_path: Path, line: str, problem: str
) -> None:
    path = write(tmp_path, HEADER + "\nStripe,Backend,,,2026-11-02,,,,,\n\n,,,\n" + line + "\n")
    reply = await cohort.ask("alice", f"/import tracker {path}")
    assert not reply.ok
    text = reply.plain_text()
    assert "row 5: " in text and problem in text, text  # blank rows keep their numbers
    assert await count(cohort, Application) == 0


async def test_dry_run_reports_without_writing(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\nStripe,Backend,,,2026-11-02,,,,,\n")
    reply = await cohort.say("alice", f"/import tracker {path} dry-run=yes")
    assert "Would import 1 application (dry run, nothing saved)" in reply
    assert await count(cohort, Application) == 0


async def test_generic_csv_with_a_column_mapping(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Firm;Opening;When;Status;Posting;Salary\n"
        "Initech;QA Engineer;2026-11-10;interviewing;https://initech.example/1;90k\n"
        "Hooli;SRE;2026-11-11;;;\n",
    )
    refused = await cohort.say("alice", f"/import tracker {path}")
    assert "can't find the company and role column" in refused
    assert 'map="Employer:company"' in refused  # the hint shows the form
    reply = await cohort.say(
        "alice",
        f'/import tracker {path} map="Firm:company, Opening:role, When:date"',
    )
    assert "Imported 2 applications" in reply, reply
    assert "Ignored headings  Salary" in reply
    apps = await rows(cohort, Application)
    assert [(a.company, a.role, a.stage, a.url) for a in apps] == [
        ("Initech", "QA Engineer", "interview", "https://initech.example/1"),
        ("Hooli", "SRE", "applied", ""),
    ]


async def test_bad_mapping_is_explained(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n")
    reply = await cohort.say("alice", f'/import tracker {path} map="Employer:salary"')
    assert "`salary` is not a applications column" in reply or "not a applications" in reply
    reply = await cohort.say("alice", f'/import tracker {path} map="Employer"')
    assert "HEADING:COLUMN" in reply


async def test_contacts_and_practice_import(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    contacts = write(
        tmp_path,
        "Name,Company,How,Date contacted,What I learned,Follow-up date\n"
        "Jane Doe,Stripe,LinkedIn,2026-11-01,@channel hiring in spring,2026-11-30\n",
        "contacts.csv",
    )
    reply = await cohort.say("alice", f"/import tracker {contacts} kind=contacts")
    assert "Imported 1 contact" in reply, reply
    (contact,) = await rows(cohort, Contact)
    assert (contact.channel, contact.follow_up) == ("linkedin", date(2026, 11, 30))
    assert "@channel" not in contact.learned  # a mention never survives import
    practice = write(
        tmp_path, "Date,Minutes,What\n2026-11-16,1h30m,graphs\n2026-11-17,45,dp\n", "p.csv"
    )
    reply = await cohort.say("alice", f"/import tracker {practice} kind=practice")
    assert "Imported 2 practice logs" in reply, reply
    logs = await rows(cohort, PracticeLog)
    assert [(p.day, p.minutes, p.source) for p in logs] == [
        (date(2026, 11, 16), 90, "import"),
        (date(2026, 11, 17), 45, "import"),
    ]
    assert "Current streak" in await cohort.say("alice", "/streak")


async def test_exported_xlsx_imports_back(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    await cohort.say(
        "alice",
        '/apply Stripe "Backend Engineer" notes="=1+1" follow-up=fri date=2026-11-16 force=yes',
    )
    await cohort.say("alice", "/app stage A1 interview")
    file = one_file(await cohort.ask("alice", "/export tracker"))
    path = tmp_path / file.filename
    path.write_bytes(file.content)
    again = await cohort.say("alice", f"/import tracker {path}")
    assert "Already tracked (skipped)  1 (rows 2)" in again
    assert await count(cohort, Application) == 1
    reply = await cohort.say("bob", f"/import tracker {path}")
    assert "Imported 1 application" in reply, reply
    (app,) = await rows(cohort, Application, "bob")
    assert (app.company, app.stage, app.notes) == ("Stripe", "interview", "=1+1")
    assert (app.applied_on, app.follow_up) == (date(2026, 11, 16), date(2026, 11, 20))
    contacts = await cohort.say("bob", f"/import tracker {path} kind=contacts")
    assert "Nothing new to import: the sheet has no rows" in contacts


async def test_a_50_mb_file_is_refused_by_its_size(
    cohort: ConsoleAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.csv"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    reply = await cohort.say("alice", f"/import tracker {big}")
    assert "too big (50.0 MB); the limit is 5 MB" in reply
    assert await count(cohort, Application) == 0


def test_a_stream_longer_than_the_limit_stops_being_read() -> None:
    class Endless(io.RawIOBase):
        read_total = 0

        def read(self, size: int = -1) -> bytes:
            Endless.read_total += size
            return b"x" * size

    with pytest.raises(ImportRefused, match="too big"):
        read_capped(Endless(), limit=1024 * 1024)  # type: ignore[arg-type]
    assert Endless.read_total <= 1024 * 1024 + 1


async def test_unreadable_files(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    assert "can't open" in await cohort.say("alice", f"/import tracker {tmp_path}/nope.csv")
    assert "is not a file" in await cohort.say("alice", f"/import tracker {tmp_path}")
    fake = tmp_path / "t.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a valid XLSX" in await cohort.say("alice", f"/import tracker {fake}")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"Company,Role\n\x00\x01\x02,x\n")
    assert "binary data" in await cohort.say("alice", f"/import tracker {binary}")
    empty = write(tmp_path, "\n\n", "empty.csv")
    assert "That file is empty" in await cohort.say("alice", f"/import tracker {empty}")
    quotes = write(tmp_path, 'Company,Role\n"Acme,Dev\n', "q.csv")
    reply = await cohort.say("alice", f"/import tracker {quotes}")
    assert "⚠️" in reply
    assert await count(cohort, Application) == 0


async def test_too_many_rows_are_refused(
    cohort: ConsoleAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    path = write(tmp_path, HEADER + "\n" + "Acme,Dev,,,2026-11-02,,,,,\n" * 4)
    assert "more than 3 rows" in await cohort.say("alice", f"/import tracker {path}")


async def test_import_reads_no_server_files_on_chat_platforms(cohort: ConsoleAdapter) -> None:
    invocation = cohort.invocation("alice", text="/import tracker /etc/passwd")
    slack = type(invocation)(
        **{**invocation.__dict__, "platform": "slack", "capabilities": Capabilities()}
    )
    reply = await cohort.app.handle(slack)
    assert "Upload your CSV or XLSX tracker in a direct message" in reply.plain_text()
    assert "root:" not in reply.plain_text()


async def test_an_uploaded_tracker_is_imported(cohort: ConsoleAdapter) -> None:
    from bot.invocation import Attachment

    content = (HEADER + "\nAcme,Dev,,applied,2026-11-02,,,,,\n").encode()
    invocation = cohort.invocation("alice", text="/import tracker")
    upload = type(invocation)(
        **{
            **invocation.__dict__,
            "platform": "slack",
            "capabilities": Capabilities(),
            "attachments": (Attachment("tracker.csv", content),),
        }
    )
    reply = await cohort.app.handle(upload)
    assert "Imported 1 application" in reply.plain_text()


def test_read_path_checks_size_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_bytes(b"a" * 100)
    assert read_path(path, limit=100) == b"a" * 100
    with pytest.raises(ImportRefused, match="too big"):
        read_path(path, limit=99)


async def test_a_workbook_of_your_own(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Job hunt"
    sheet.append(["Employer", "Job title", "Applied on", "Status", "Follow up"])
    sheet.append(["Initech", 2026, datetime(2026, 11, 3), "Offered", date(2026, 11, 30)])
    sheet.append(["Hooli", "SRE", "2026-11-04", None, None])
    path = tmp_path / "mine.xlsx"
    book.save(path)
    reply = await cohort.say("alice", f"/import tracker {path}")
    assert "Imported 2 applications" in reply, reply
    apps = await rows(cohort, Application)
    assert [(a.company, a.role, a.stage, a.applied_on, a.follow_up) for a in apps] == [
        ("Initech", "2026", "offer", date(2026, 11, 3), date(2026, 11, 30)),
        ("Hooli", "SRE", "applied", date(2026, 11, 4), None),
    ]


async def test_a_zip_bomb_workbook_is_refused_before_opening(
    cohort: ConsoleAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (51 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024

    def no_opening(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", no_opening)
    assert "unpacks to more than 50 MB" in await cohort.say("alice", f"/import tracker {path}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("2026/11/03", date(2026, 11, 3)),
        ("2026-11-03 14:30", date(2026, 11, 3)),
        ("2026-11-03T14:30:00", date(2026, 11, 3)),
        ("3 Nov 2026", date(2026, 11, 3)),
        ("Nov 3, 2026", date(2026, 11, 3)),
        ("November 3 2026", date(2026, 11, 3)),
        ("2026-02-29", None),  # 2026 is not a leap year
        ("11/03/2026", None),
        ("soon", None),
    ],
)
def test_cell_dates(text: str, expected: date | None) -> None:
    problems: list[str] = []
    assert importer.parse_cell_date(text, "date", problems) == expected
    assert bool(problems) == (expected is None)


# -- round trips: every kind, CSV and XLSX, into a fresh member (issue 14) ---------------------

ROUND_TRIP_FIELDS = {
    "applications": (
        Application,
        ("company", "role", "url", "stage", "contact", "notes", "next_step", "follow_up"),
        "applied_on",
    ),
    "contacts": (
        Contact,
        ("name", "company", "role", "channel", "learned", "next_step", "follow_up"),
        "contacted_on",
    ),
    "practice": (PracticeLog, ("minutes", "what", "link"), "day"),
}


async def seed_everything(console: ConsoleAdapter) -> None:
    await say_ok(
        console,
        '/apply Stripe "Backend Engineer" url=https://stripe.example/jobs/1 contact="Jane Doe" '
        'notes="=1+1, a formula" next="email Jane" follow-up=fri date=2026-11-16 force=yes',
    )
    await say_ok(console, "/apply Acme Developer date=2026-11-17 force=yes")
    await say_ok(console, "/app stage A2 rejected")
    await say_ok(console, "/apply Zeta SRE stage=interested")
    await say_ok(
        console,
        '/outreach "Jane Doe" company=Stripe role=Recruiter how=email '
        'learned="hiring in spring; @here" next="coffee" follow-up=mon date=2026-11-16 force=yes',
    )
    await say_ok(console, "/outreach Sam how=meetup")
    await say_ok(console, "/practice 45m two-pointer katas date=2026-11-16 force=yes")
    await say_ok(console, "/practice 1h30m graphs")


async def say_ok(console: ConsoleAdapter, line: str) -> None:
    reply = await console.say("alice", line)
    assert not reply.startswith("⚠️"), reply


def comparable(rows: list, kind: str) -> list[tuple]:
    _, names, day = ROUND_TRIP_FIELDS[kind]
    return sorted(tuple(getattr(r, n) for n in (day, *names)) for r in rows)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
async def test_every_export_imports_back_unchanged_without_saying_the_kind(
    cohort: ConsoleAdapter, tmp_path: Path, format: str
) -> None:
    await seed_everything(cohort)
    reply = await cohort.ask("alice", f"/export tracker format={format}")
    paths = []
    for file in files(reply):
        path = tmp_path / file.filename
        path.write_bytes(file.content)
        paths.append(path)
    assert len(paths) == (3 if format == "csv" else 1)
    for path in paths:
        answer = await cohort.say("dana", f"/import tracker {path}")
        assert "📥 Imported" in answer, answer
    if format == "xlsx":
        assert "3 applications, 2 contacts and 2 practice logs" in answer
    for kind, (model, _, _) in ROUND_TRIP_FIELDS.items():
        assert comparable(await rows(cohort, model, "dana"), kind) == comparable(
            await rows(cohort, model, "alice"), kind
        ), kind
    again = await cohort.say("dana", f"/import tracker {paths[0]}")
    assert "Nothing new to import: every row is already in your tracker" in again


async def test_the_kind_is_told_by_the_headings(cohort: ConsoleAdapter, tmp_path: Path) -> None:
    contacts = write(
        tmp_path,
        "Name,Company,How,Date contacted\nJane Doe,Stripe,LinkedIn,2026-11-01\n",
        "people.csv",
    )
    assert "Imported 1 contact" in await cohort.say("alice", f"/import tracker {contacts}")
    practice = write(tmp_path, "Date,Minutes,What\n2026-11-16,45,graphs\n", "log.csv")
    assert "Imported 1 practice log" in await cohort.say("alice", f"/import tracker {practice}")
