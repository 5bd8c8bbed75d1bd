"""kg.dates: French temporal expressions, their granularity, cues and rule loading."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kg.dates import (
    DEFAULT_RULES_PATH,
    PartialDate,
    RuleFileError,
    default_rules,
    find_dates,
    load_rules,
    match_date_header,
    normalize,
    parse_date_header,
)

DAY = PartialDate(2020, 9, 14)  # a Monday
MONDAY_AUG = PartialDate(2020, 8, 3)  # a Monday
MONTH = PartialDate(2020, 9)
YEAR = PartialDate(2020)

# (expression, anchor, expected ISO value or None, expected part)
CASES: list[tuple[str, PartialDate | None, str | None, str | None]] = [
    # full dates
    ("15 septembre 2020", None, "2020-09-15", None),
    ("1er août 2020", None, "2020-08-01", None),
    ("1 août 2020", None, "2020-08-01", None),
    ("15/09/2020", None, "2020-09-15", None),
    ("15.09.2020", None, "2020-09-15", None),
    ("03-08-2020", None, "2020-08-03", None),
    ("2020-09-15", None, "2020-09-15", None),
    ("Septembre 14, 2020", None, "2020-09-14", None),
    ("septembre 14 2020", None, "2020-09-14", None),
    ("lundi 14 septembre 2020", None, "2020-09-14", None),
    ("le 31 décembre 2020", None, "2020-12-31", None),
    ("15 sept. 2020", None, "2020-09-15", None),
    ("12 DÉCEMBRE 2021", None, "2021-12-12", None),
    ("au 15 septembre 2020", DAY, "2020-09-15", None),
    # day and month, year from the anchor
    ("15 septembre", DAY, "2020-09-15", None),
    ("le 20 septembre", MONTH, "2020-09-20", None),
    ("12 novembre", MONTH, "2020-11-12", None),
    ("d'ici le 12 novembre", MONTH, "2020-11-12", None),
    ("au plus tard le 15 septembre 2020", MONTH, "2020-09-15", None),
    ("avant le 20 septembre", MONTH, "2020-09-20", None),
    ("jusqu'au 15 septembre", DAY, "2020-09-15", None),
    ("jusqu’au 15 septembre", DAY, "2020-09-15", None),
    ("15 septembre", YEAR, "2020-09-15", None),
    ("15 septembre", None, None, None),
    # months
    ("en août", DAY, "2020-08", None),
    ("août 2020", None, "2020-08", None),
    ("en janvier 2018", None, "2018-01", None),
    ("du mois d'août", MONTH, "2020-08", None),
    ("début août", MONTH, "2020-08", "early"),
    ("mi-août", MONTH, "2020-08", "mid"),
    ("fin août", MONTH, "2020-08", "late"),
    ("Fin août", DAY, "2020-08", "late"),
    ("fin septembre 2021", None, "2021-09", "late"),
    ("début du mois de septembre", MONTH, "2020-09", "early"),
    ("2020-09", None, "2020-09", None),
    # years
    ("depuis 2008", None, "2008", None),
    ("en 2019", None, "2019", None),
    ("fin 2020", None, "2020", "late"),
    # weekdays: the most recent such day on or before the anchor
    ("lundi", DAY, "2020-09-14", None),
    ("ce lundi", MONDAY_AUG, "2020-08-03", None),
    ("dimanche", MONDAY_AUG, "2020-08-02", None),
    ("Vendredi", MONDAY_AUG, "2020-07-31", None),
    ("vendredi dernier", DAY, "2020-09-11", None),
    ("lundi dernier", DAY, "2020-09-07", None),
    ("mardi prochain", DAY, "2020-09-15", None),
    ("lundi", MONTH, None, None),
    ("vendredi dernier", MONTH, None, None),
    ("lundi", None, None, None),
    # relative to the anchor
    ("aujourd'hui", DAY, "2020-09-14", None),
    ("hier", DAY, "2020-09-13", None),
    ("demain", DAY, "2020-09-15", None),
    ("avant-hier", DAY, "2020-09-12", None),
    ("hier", MONTH, None, None),
    ("la semaine dernière", MONDAY_AUG, "2020-07", None),
    ("la semaine dernière", MONTH, None, None),
    ("le mois dernier", MONTH, "2020-08", None),
    ("le mois dernier", PartialDate(2020, 1, 10), "2019-12", None),
    ("le mois prochain", DAY, "2020-10", None),
    ("l'an dernier", DAY, "2019", None),
    ("l'année dernière", MONTH, "2019", None),
    ("l'année prochaine", YEAR, "2021", None),
    ("dans 45 jours", DAY, "2020-10-29", None),
    ("sous 90 jours", DAY, "2020-12-13", None),
    ("dans les 45 jours", DAY, "2020-10-29", None),
    ("dans quinze jours", DAY, "2020-09-29", None),
    ("dans trois mois", DAY, "2020-12", None),
    ("il y a deux semaines", DAY, "2020-08-31", None),
    ("dans 45 jours", MONTH, None, None),
    ("sous 90 jours", MONTH, None, None),
    ("sous 90 jours", None, None, None),
]


@pytest.mark.parametrize(("expression", "anchor", "expected", "part"), CASES)
def test_normalize_french_expressions(
    expression: str, anchor: PartialDate | None, expected: str | None, part: str | None
) -> None:
    value = normalize(expression, anchor=anchor)
    if expected is None:
        assert value is None
        return
    assert value is not None, expression
    assert value.iso() == expected
    assert value.part == part


# (expression, anchor, cue)
CUES: list[tuple[str, PartialDate, str | None]] = [
    ("d'ici le 12 novembre", MONTH, "deadline"),
    ("d'ici à fin août", MONTH, "deadline"),
    ("au plus tard le 15 septembre 2020", MONTH, "deadline"),
    ("avant le 20 septembre", MONTH, "deadline"),
    ("jusqu'au 15 septembre", DAY, "deadline"),
    ("sous 90 jours", DAY, "deadline"),
    ("dans les 45 jours", DAY, "deadline"),
    ("à partir du 1er octobre", DAY, "effective"),
    ("à compter du 15 septembre 2020", DAY, "effective"),
    ("doit entrer en vigueur le 20 septembre", MONTH, "effective"),
    ("au 15 septembre 2020", DAY, None),
    ("dans 45 jours", DAY, None),
    ("avant-hier", DAY, None),
    ("depuis 2008", DAY, None),
]


@pytest.mark.parametrize(("text", "anchor", "cue"), CUES)
def test_cue_phrases_mark_deadlines_and_effective_dates(
    text: str, anchor: PartialDate, cue: str | None
) -> None:
    mentions = find_dates(text, anchor=anchor)
    assert len(mentions) == 1, mentions
    assert mentions[0].cue == cue
    if cue is not None:
        # the span covers the cue so the evidence shows why the date binds
        assert mentions[0].text.split()[-1] == text.split()[-1]


def test_find_dates_offsets_in_a_sentence() -> None:
    text = (
        "La mesure doit entrer en vigueur le 20 septembre, alors qu'un autre décret "
        "impose la vente de TikTok d'ici le 12 novembre. Microsoft s'était porté "
        "candidat début août, et ByteDance a répondu lundi."
    )
    mentions = find_dates(text, anchor=DAY)
    assert [(m.text, m.value.iso(), m.cue) for m in mentions] == [
        ("entrer en vigueur le 20 septembre", "2020-09-20", "effective"),
        ("d'ici le 12 novembre", "2020-11-12", "deadline"),
        ("début août", "2020-08", None),
        ("lundi", "2020-09-14", None),
    ]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.relative  # every year here comes from the anchor
    assert mentions[2].value.part == "early"


def test_find_dates_longest_match_wins_and_mentions_do_not_overlap() -> None:
    text = "Le lundi 14 septembre 2020, puis en août 2021 et le 3 mars."
    mentions = find_dates(text, anchor=DAY)
    assert [m.text for m in mentions] == ["lundi 14 septembre 2020", "août 2021", "3 mars"]
    assert [m.relative for m in mentions] == [False, False, True]
    ends = [(m.start, m.end) for m in mentions]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))


def test_curly_apostrophes_and_no_break_spaces_match() -> None:
    mentions = find_dates("d’ici le\u00a012\u00a0novembre", anchor=MONTH)
    assert [(m.value.iso(), m.cue) for m in mentions] == [("2020-11-12", "deadline")]


@pytest.mark.parametrize(
    "text",
    [
        "Elle a vendu sa participation.",
        "l'application représentait 37,2 millions d'utilisateurs",
        "les 2 milliards de téléchargements",
        "présente dans plus de 200 pays",
        "C'est 800 % de plus.",
        "Le chiffre d'affaires atteint 2020 millions d'euros.",
        "Thierry Breton a parlé au lendemain de la décision.",
        "Oracle compte 90 jours de trésorerie.",
        "Mars a racheté Wrigley.",
        "la sept. n'est pas une date",
        "une hausse de 15,09 % en 2020,5",
    ],
)
def test_non_dates_are_not_found(text: str) -> None:
    assert find_dates(text, anchor=DAY) == []


def test_bare_number_of_days_is_never_read_as_the_past() -> None:
    assert normalize("90 jours", anchor=DAY) is None
    future = normalize("sous 90 jours", anchor=DAY)
    assert future is not None and future > DAY


def test_weekday_against_a_month_anchor_is_not_invented() -> None:
    assert find_dates("ByteDance a confirmé lundi son choix.", anchor=MONTH) == []


def test_month_anchor_still_gives_the_year() -> None:
    (mention,) = find_dates("avant le 20 septembre", anchor=MONTH)
    assert mention.value == PartialDate(2020, 9, 20)
    assert mention.relative


def test_partial_date_granularity_iso_and_xsd() -> None:
    assert PartialDate(2020).granularity == "year"
    assert PartialDate(2020, 9).iso() == "2020-09"
    assert PartialDate(2020, 9).xsd() == "gYearMonth"
    assert PartialDate(2020, 9, 5).iso() == "2020-09-05"
    assert PartialDate(2020, 9, 5).xsd() == "date"
    assert PartialDate(2020).xsd() == "gYear"
    assert PartialDate.from_iso("2020-09-15") == PartialDate(2020, 9, 15)
    assert PartialDate.from_iso("2020") == PartialDate(2020)


def test_partial_dates_order_across_granularities() -> None:
    dates = [PartialDate(2020, 9, 15), PartialDate(2020), PartialDate(2020, 9), PartialDate(2019)]
    assert sorted(dates) == [
        PartialDate(2019), PartialDate(2020), PartialDate(2020, 9), PartialDate(2020, 9, 15)
    ]


@pytest.mark.parametrize("bad", ["2020-13", "2020-02-30", "20-09-15", "septembre"])
def test_from_iso_rejects_bad_values(bad: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.from_iso(bad)


def test_part_only_refines_a_month_or_a_year() -> None:
    with pytest.raises(ValueError):
        PartialDate(2020, 8, 15, "late")


@pytest.mark.parametrize(
    ("line", "iso", "author"),
    [
        (" date 2020-09 C'est non pour un rachat", "2020-09", None),
        ("Publié le 03-08-2020 par Alexandra Nuiry", "2020-08-03", "Alexandra Nuiry"),
        ("Publié le 14 septembre 2020 à 10h32", "2020-09-14", None),
        ("Mis à jour le 15/09/2020 à 08:15", "2020-09-15", None),
        ("Septembre 14, 2020", "2020-09-14", None),
        ("14/09/2020", "2020-09-14", None),
        ("2020-09-14", "2020-09-14", None),
        ("Par Xavier Trudeau, le 14 septembre 2020", "2020-09-14", "Xavier Trudeau"),
        ("Par Léa Fournier – 3 février 2021", "2021-02-03", "Léa Fournier"),
        ("Publié le 9 mai 2022 à 07h30 – Mis à jour le 9 mai 2022 à 18h05", "2022-05-09", None),
        ("Publié le 09/05/2022 à 07h30 - Mis à jour le 10/05/2022 à 09h00", "2022-05-09", None),
        ("BORDEAUX, 2 juin 2021 (AFP) – Le groupe a annoncé mardi", "2021-06-02", None),
        ("Lyon, le 2 juin 2021", "2021-06-02", None),
    ],
)
def test_parse_date_header(line: str, iso: str, author: str | None) -> None:
    value = parse_date_header(line)
    assert value is not None and value.iso() == iso
    found = match_date_header(line)
    assert found is not None and found.author == author


@pytest.mark.parametrize(
    "line",
    ["La mesure doit entrer en vigueur le 20 septembre.", "lundi", "Publié hier", ""],
)
def test_parse_date_header_ignores_other_lines(line: str) -> None:
    assert parse_date_header(line) is None


RULES = default_rules()


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_every_rule_reads_its_own_example(rule: object) -> None:
    from kg.dates import DateRule

    assert isinstance(rule, DateRule)
    match = rule.regex.fullmatch(rule.example)
    assert match is not None, f"{rule.id} does not match {rule.example!r}"
    assert rule.expect is not None, f"{rule.id} has no `expect`"
    assert normalize(rule.example, anchor=RULES.example_anchor) == rule.expect


@pytest.mark.parametrize("header", RULES.headers, ids=lambda r: r.id)
def test_every_header_rule_reads_its_own_example(header: object) -> None:
    from kg.dates import HeaderRule

    assert isinstance(header, HeaderRule)
    found = match_date_header(header.example)
    assert found is not None and found.rule == header.id
    assert found.date == header.expect


def _with_extra_rule(tmp_path: Path, record: str) -> tuple[Path, int]:
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8") + "\n" + record
    path = tmp_path / "dates.toml"
    path.write_text(text, encoding="utf-8")
    # the line right after "[[rule]]": where the id (or the first key) stands
    line = text.count("\n", 0, text.index(record)) + 2
    return path, line


def test_malformed_regex_names_file_line_and_rule(tmp_path: Path) -> None:
    record = (
        "[[rule]]\n"
        'id = "broken_regex"\n'
        'type = "date"\n'
        "pattern = '''(?P<year>[0-9'''\n"
        'example = "2020"\n'
    )
    path, line = _with_extra_rule(tmp_path, record)
    with pytest.raises(RuleFileError) as info:
        load_rules(path)
    message = str(info.value)
    assert str(path) in message
    assert f":{line}:" in message
    assert "broken_regex" in message
    assert info.value.line == line and info.value.rule_id == "broken_regex"


def test_unknown_key_names_the_rule(tmp_path: Path) -> None:
    record = (
        "[[rule]]\n"
        'id = "typo_key"\n'
        'type = "date"\n'
        "pattern = '''(?P<year>[0-9]{4})'''\n"
        'exmaple = "2020"\n'
    )
    path, line = _with_extra_rule(tmp_path, record)
    with pytest.raises(RuleFileError, match=r"typo_key.*exmaple") as info:
        load_rules(path)
    assert info.value.line == line


def test_missing_id_points_at_the_record(tmp_path: Path) -> None:
    record = "[[rule]]\ntype = \"date\"\npattern = '''(?P<year>19[0-9]{2}x)'''\nexample = \"x\"\n"
    path, line = _with_extra_rule(tmp_path, record)
    with pytest.raises(RuleFileError, match="missing or empty `id`") as info:
        load_rules(path)
    assert info.value.line == line + 1  # without an id, the line of the record's pattern
    assert str(path) in str(info.value)


def test_unknown_sub_pattern_is_reported(tmp_path: Path) -> None:
    record = (
        "[[rule]]\n"
        'id = "bad_ref"\n'
        'type = "date"\n'
        "pattern = '''{no_such_thing}(?P<year>[0-9]{4})'''\n"
        'example = "2020"\n'
    )
    path, _ = _with_extra_rule(tmp_path, record)
    with pytest.raises(RuleFileError, match=r"bad_ref.*no_such_thing"):
        load_rules(path)


def test_rules_from_another_file_are_used(tmp_path: Path) -> None:
    record = (
        "[[rule]]\n"
        'id = "quarter_end"\n'
        'type = "date"\n'
        "pattern = '''clôture (?P<year>{year})'''\n"
        'example = "clôture 2021"\n'
        'expect = "2021"\n'
    )
    path, _ = _with_extra_rule(tmp_path, record)
    rules = load_rules(path)
    (mention,) = find_dates("à la clôture 2021", anchor=None, rules=rules)
    assert mention.rule == "quarter_end" and mention.value == PartialDate(2021)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Les parties ont jusqu'à lundi pour conclure.", "2021-06-07"),
        ("Il doit répondre d'ici vendredi.", "2021-06-11"),
        ("Le conseil rendra sa réponse avant samedi.", "2021-06-05"),
        ("Lundi, le groupe a déposé son offre.", "2021-05-31"),  # alone, the latest past one
    ],
)
def test_a_weekday_that_ends_a_term_is_still_to_come(text: str, iso: str) -> None:
    # the article is dated Saturday 5 June 2021
    (found,) = find_dates(text, anchor=PartialDate(2021, 6, 5))
    assert found.value.iso() == iso


@pytest.mark.parametrize(
    "text",
    ["L'offre prendra fin le 14 juin.", "La période d'offre se terminait le 14 juin.",
     "L'engagement expire le 14 juin.", "La date butoir a été reportée au 14 juin."],
)
def test_the_ends_and_moves_of_a_term_are_deadline_cues(text: str) -> None:
    (found,) = find_dates(text, anchor=PartialDate(2021, 6, 5))
    assert (found.value.iso(), found.cue) == ("2021-06-14", "deadline")


def test_a_deadline_verb_alone_is_labelled_with_what_it_is_said_of() -> None:
    # "prendra fin", "devront être conclues": the label names what ends, not the verb alone
    from tests.extraction import facts

    labels = [f.attrs["label"] for f in facts("La période d'acceptation de l'offre de Norvia prendra fin "
                                              "le 12 avril 2024.", "deadline")]
    assert labels == ["La période d'acceptation de l'offre de Norvia prendra fin"]
    labels = [f.attrs["label"] for f in facts("Selon Bruxelles, les discussions entre Maribor et Tarvex "
                                              "devront être conclues le 15 mai 2024.", "deadline")]
    assert labels and labels[0].startswith("les discussions entre Maribor et Tarvex")
