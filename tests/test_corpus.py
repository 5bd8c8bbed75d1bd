"""kg.corpus: reading the seed articles and synthetic files into clean Articles."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from kg.corpus import (
    Article,
    CorpusError,
    ReadError,
    load_furniture,
    load_language,
    read_article,
    read_corpus,
    slugify,
)
from kg.dates import PartialDate, RuleFileError

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, errors = read_corpus([SEEDS])
    assert errors == []
    return {article.id[:3]: article for article in articles}


def test_seed_folder_reads_five_articles_and_skips_the_readme(seeds: dict[str, Article]) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert all(not a.source.endswith("README.md") for a in seeds.values())


@pytest.mark.parametrize(
    ("seed", "iso", "granularity"),
    [
        ("000", "2020-09", "month"),
        ("001", "2020-09", "month"),
        ("002", "2020-09", "month"),
        ("003", "2020-09-14", "day"),
        ("004", "2020-08-03", "day"),
    ],
)
def test_seed_publication_dates(
    seeds: dict[str, Article], seed: str, iso: str, granularity: str
) -> None:
    article = seeds[seed]
    assert article.date is not None
    assert article.date.iso() == iso
    assert article.date.granularity == granularity
    assert not article.undated


@pytest.mark.parametrize(
    ("seed", "title"),
    [
        ("000", "C'est non pour un rachat des activités américaines de TikTok par Microsoft."),
        (
            "001",
            "ByteDance ne vendra pas les activités américaines de TikTok à Microsoft, car la "
            "société chinoise a choisi Oracle comme « partenaire technologique de confiance ».",
        ),
        ("002", "Oracle : un partenariat plutôt qu'une acquisition de TikTok ?"),
        ("003", "L'offre de Microsoft rejetée par le groupe chinois — TikTok"),
        ("004", "Microsoft maintient ses discussions avec TikTok"),
    ],
)
def test_seed_titles(seeds: dict[str, Article], seed: str, title: str) -> None:
    article = seeds[seed]
    assert article.title == title
    assert article.body.startswith(title)
    # the title appears once: the duplicated title line of the page is gone
    assert article.body.count(title) == 1


def test_seed_authors(seeds: dict[str, Article]) -> None:
    assert seeds["003"].author == "Xavier Trudeau"
    assert seeds["004"].author == "Alexandra Nuiry"
    assert seeds["000"].author is None


@pytest.mark.parametrize(
    "furniture",
    [
        "Crédit photo",
        "Discuter de cet article",
        "SUIVRE NOTRE JOURNAL",
        "Les dernières actualités",
        "D'autres rapports",
        "Publié le",
        "Septembre 14, 2020",
        "date 2020-09",
        "\n\n\n",
        "\u00a0\n",
        "’",
    ],
)
def test_furniture_and_date_lines_are_gone(seeds: dict[str, Article], furniture: str) -> None:
    for article in seeds.values():
        assert furniture not in article.body, article.id


def test_byline_above_a_dateline_is_removed(seeds: dict[str, Article]) -> None:
    body = seeds["003"].body
    assert "Xavier Trudeau" not in body
    assert body.split("\n\n")[1].startswith('"Le propriétaire')


def test_text_paragraphs_are_kept(seeds: dict[str, Article]) -> None:
    assert "(Boursier.com) — La cession des actifs US" in seeds["002"].body
    assert "ByteDance est devenu insensible" in seeds["001"].body
    assert "d'ici le 12 novembre" in seeds["000"].body
    assert seeds["004"].body.endswith("37,2 millions d'utilisateurs aux Etats-Unis en 2019.")
    assert seeds["003"].body.endswith("C'est 800 % de plus qu'en janvier 2018.")


def test_paragraphs_are_separated_by_one_blank_line(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        paragraphs = article.body.split("\n\n")
        assert all(p and p == p.strip() for p in paragraphs), article.id
        assert article.body == article.body.strip()


def test_ids_are_stable_slugs_of_the_file_stem(seeds: dict[str, Article]) -> None:
    assert seeds["000"].id == "000_042e905e502cadab"
    again = read_article(SEEDS / "000_042e905e502cadab.txt")
    assert again == seeds["000"]
    assert slugify("Mon Article (v2) été") == "mon-article-v2-ete"


def test_content_hash_and_source(seeds: dict[str, Article]) -> None:
    path = SEEDS / "004_342520450e8a2832.txt"
    article = seeds["004"]
    assert article.source == str(path)
    assert article.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_source_is_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nTexte de l'article.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert read_article("a.txt").source == "a.txt"


def test_undated_article_is_kept_and_reported_undated(tmp_path: Path) -> None:
    (tmp_path / "sans_date.txt").write_text(
        "Un titre sans date\n\nUn paragraphe qui parle d'une offre de rachat.\n",
        encoding="utf-8",
    )
    articles, errors = read_corpus([tmp_path])
    assert errors == []
    (article,) = articles
    assert article.date is None and article.undated
    assert article.title == "Un titre sans date"


def test_bad_files_are_reported_and_others_still_read(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("Titre\n\nTexte.\n", encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_blank.txt").write_text(" \n\u00a0\n\n", encoding="utf-8")
    (tmp_path / "e_good.txt").write_text("Autre titre\n\nAutre texte.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("not an article", encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert [a.id for a in articles] == ["a_good", "e_good"]
    by_name = {Path(e.source).name: e.message for e in errors}
    assert sorted(by_name) == ["b_binary.txt", "c_empty.txt", "d_blank.txt"]
    assert by_name["b_binary.txt"] == "binary file (it holds NUL bytes), not text"
    assert by_name["c_empty.txt"] == "empty file"
    assert all(isinstance(e, ReadError) and "\n" not in e.message for e in errors)


def test_read_article_raises_corpus_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.txt"
    path.write_bytes(b"")
    with pytest.raises(CorpusError) as info:
        read_article(path)
    assert info.value.source == str(path)
    assert str(info.value) == f"{path}: empty file"


def test_missing_and_unsupported_paths_are_errors(tmp_path: Path) -> None:
    other = tmp_path / "article.pdf"
    other.write_bytes(b"%PDF")
    articles, errors = read_corpus([tmp_path / "absent.txt", other])
    assert articles == []
    assert [Path(e.source).name for e in errors] == ["absent.txt", "article.pdf"]
    assert "no such file" in errors[0].message
    assert "unsupported file type '.pdf'" in errors[1].message


def test_folders_are_read_recursively_sorted_and_without_duplicates(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "x2.txt").write_text("B\n\nTexte.\n", encoding="utf-8")
    (tmp_path / "a" / "x1.txt").write_text("A\n\nTexte.\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H\n\nTexte.\n", encoding="utf-8")
    articles, errors = read_corpus([tmp_path, tmp_path / "a" / "x1.txt"])
    assert errors == []
    assert [a.id for a in articles] == ["x1", "x2"]


def test_same_id_in_two_folders_is_an_error(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text("T\n\nTexte.\n", encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert len(articles) == 1
    assert len(errors) == 1 and "already used" in errors[0].message


def test_common_date_lines_bylines_and_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "\ufeffAccueil > Économie\n"
        "Vivendi lance une OPA sur Lagardère\n"
        "Par Jeanne Martin\n"
        "Publié le 14 septembre 2020 à 10h32\r\n"
        "Mis à jour le 15 septembre 2020 à 08h00\n"
        "\n"
        "Vivendi a déposé une offre. Lagardère étudie l’offre.\n"
        "Lire aussi : Lagardère, une histoire de famille\n"
        "\n"
        "Partager\n"
        "Publicité\n"
        "Le conseil se réunira d'ici le 30 septembre.\n"
        "\n"
        "Crédit photo : AFP\n"
        "Source : https://www.example.fr/eco/vivendi-lagardere\n"
        "Sur le même sujet\n"
        "Vivendi monte au capital de Lagardère\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Vivendi lance une OPA sur Lagardère"
    assert article.date == PartialDate(2020, 9, 14)  # published, not updated
    assert article.author == "Jeanne Martin"
    assert article.url == "https://www.example.fr/eco/vivendi-lagardere"
    assert article.body == (
        "Vivendi lance une OPA sur Lagardère\n\n"
        "Vivendi a déposé une offre. Lagardère étudie l'offre.\n\n"
        "Le conseil se réunira d'ici le 30 septembre."
    )


def test_long_first_line_gives_its_first_sentence_as_title(tmp_path: Path) -> None:
    path = tmp_path / "lead.txt"
    path.write_text(
        "14/09/2020\n"
        "M. Dupont confirme le rachat de la filiale par le groupe. Le montant n'est pas "
        "connu, mais il dépasserait 2 milliards d'euros selon la presse.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "M. Dupont confirme le rachat de la filiale par le groupe."
    assert article.date == PartialDate(2020, 9, 14)
    assert article.body.startswith(article.title + " Le montant")


def test_business_names_are_not_mistaken_for_furniture(tmp_path: Path) -> None:
    path = tmp_path / "banque.txt"
    path.write_text(
        "Crédit Agricole rachète une banque\n\nCrédit Agricole a annoncé le rachat.\n"
        "Par ailleurs, la banque confirme.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Crédit Agricole rachète une banque"
    assert "Par ailleurs, la banque confirme." in article.body
    assert article.author is None


def test_malformed_furniture_rule_names_file_line_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "furniture.toml"
    path.write_text(
        '[meta]\nmax_line_length = 100\n\n[[line]]\nid = "ok"\naction = "drop"\n'
        "pattern = '''publicité'''\nexample = \"Publicité\"\n\n"
        '[[line]]\nid = "bad_one"\naction = "drop"\npattern = \'\'\'(unclosed\'\'\'\n'
        'example = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as info:
        load_furniture(path)
    assert str(info.value).startswith(f"{path}:11: rule 'bad_one'")


def test_packaged_furniture_rules_load() -> None:
    furniture = load_furniture()
    assert furniture.lines and furniture.fields


def test_byline_and_dateline_before_the_title(tmp_path: Path) -> None:
    path = tmp_path / "haut.txt"
    path.write_text(
        "Jeanne Martin\n14 septembre 2020\n\nVivendi lance une OPA sur Lagardère\n\n"
        "Le groupe a déposé son offre.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.author == "Jeanne Martin"
    assert article.date == PartialDate(2020, 9, 14)
    assert article.title == "Vivendi lance une OPA sur Lagardère"
    assert article.body == "Vivendi lance une OPA sur Lagardère\n\nLe groupe a déposé son offre."


@pytest.mark.parametrize(
    "dateline",
    ["BORDEAUX, 2 juin 2021 (AFP) – ", "Bordeaux, le 2 juin 2021\n\n", "Par Léa Fournier – 2 juin 2021\n\n",
     "Publié le 2 juin 2021 à 07h30 – Mis à jour le 2 juin 2021 à 18h05\n\n"],
)
def test_wire_copy_is_dated_by_its_dateline_under_the_title(tmp_path: Path, dateline: str) -> None:
    path = tmp_path / "depeche.txt"
    path.write_text(f"Valmont lance une OPA sur Kesterel\n\n{dateline}Le groupe a déposé son offre mardi.\n",
                    encoding="utf-8")
    article = read_article(path)
    assert article.date == PartialDate(2021, 6, 2)
    assert article.body == "Valmont lance une OPA sur Kesterel\n\nLe groupe a déposé son offre mardi."


# --------------------------------------------------------------------------- messy input

FRENCH_PARAGRAPH = (
    "Le conseil d'administration de la société a rejeté l'offre, qu'il juge insuffisante. Les "
    "actionnaires seront consultés avant la fin du mois, selon un communiqué publié par le groupe. "
    "L'acquéreur n'a pas souhaité réagir, mais il a indiqué qu'il étudiait toutes les options."
)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16", "utf-32"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "offre.txt"
    path.write_bytes("Offre reçue en août\n\nLa société a reçu l'offre.\n".encode(encoding))
    article = read_article(path)
    assert article.title == "Offre reçue en août"  # not cp1250's "aoűt"
    assert article.body == "Offre reçue en août\n\nLa société a reçu l'offre."


def test_windows_1252_punctuation_is_read(tmp_path: Path) -> None:
    path = tmp_path / "guillemets.txt"
    path.write_bytes("L’offre – 15 €, « bien » reçue œuvre\n\nTexte.\n".encode("cp1252"))
    assert read_article(path).title == "L'offre – 15 €, « bien » reçue œuvre"


def test_mixed_line_endings_and_decomposed_accents(tmp_path: Path) -> None:
    path = tmp_path / "fins.txt"
    path.write_bytes("\ufeffTitre\r\n\r\nUne ligne.\rDeux lignes.\n\nSocie\u0301te\u0301\u2029Fin.".encode())
    article = read_article(path)
    assert article.body == "Titre\n\nUne ligne.\nDeux lignes.\n\nSociété\n\nFin."


def test_invisible_and_control_characters_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "controle.txt"
    path.write_text("Titre\x07\n\nMicro\u200bsoft et Soft\u00adBank\x1b[1m rach\x00\u0001ètent.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="binary"):
        read_article(path)  # a NUL byte: binary, whatever else the file holds
    path.write_text("Titre\x07\n\nMicro\u200bsoft et Soft\u00adBank\x1b[1m rach\u0001ètent.\n", encoding="utf-8")
    assert read_article(path).body == "Titre\n\nMicrosoft et SoftBank rachètent."


def test_markdown_syntax_is_stripped_and_front_matter_read(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: 'Le titre'\ndate: 2021-03-02T08:00:00+01:00\nurl: https://www.example.fr/a\n---\n"
        "Le titre\n========\n\nUn **gras**, un *italique*, un _souligné_, du `code`, un [lien](http://x.fr) "
        "et ~~barré~~. Un snake_case_name et 3 * 4 = 12 restent. Un \\*astérisque\\* échappé.\n\n"
        "> Une citation.\n\n1. premier\n2) second\n\n---\n\n![photo](a.png)\n\n"
        "<!-- commentaire -->\n```python\nprint('code')\n```\n[ref]: http://x.fr\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert (article.title, article.date, article.url) == ("Le titre", PartialDate(2021, 3, 2),
                                                          "https://www.example.fr/a")
    assert article.body == (
        "Le titre\n\nUn gras, un italique, un souligné, du code, un lien et barré. Un snake_case_name "
        "et 3 * 4 = 12 restent. Un *astérisque* échappé.\n\nUne citation.\n\npremier\nsecond"
    )


def test_markdown_heading_gives_the_title(tmp_path: Path) -> None:
    path = tmp_path / "titre.md"
    path.write_text("## Danone cède une filiale ##\n\nLe groupe a annoncé la cession.\n", encoding="utf-8")
    article = read_article(path)
    assert article.title == "Danone cède une filiale"
    assert article.date is None


HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}"><title>Titre | Site</title>
{meta}</head><body><nav><a href="/">Accueil</a></nav><article><h1>Vivendi lance une OPA sur Lagardère</h1>
<p>{first}</p><p>Selon Reuters, Amber Capital aurait rejeté l'offre. Le groupe de médias n'a pas souhaité
commenter cette information dans l'immédiat.</p></article><footer>© Le Journal</footer>
<script>alert("x")</script></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    meta = ('<meta property="article:published_time" content="2020-09-14T10:32:00+02:00">'
            '<link rel="canonical" href="https://www.example.fr/eco/vivendi">')
    path.write_text(HTML.format(charset="utf-8", meta=meta, first="Vivendi a déposé une offre publique "
                                "d'achat sur Lagardère, a annoncé le groupe lundi."), encoding="utf-8")
    article = read_article(path)
    assert article.title == "Vivendi lance une OPA sur Lagardère"
    assert article.date == PartialDate(2020, 9, 14)
    assert article.url == "https://www.example.fr/eco/vivendi"
    assert article.body.startswith("Vivendi lance une OPA sur Lagardère\n\nVivendi a déposé")
    assert "alert" not in article.body and "Accueil" not in article.body and "©" not in article.body


def test_html_without_date_metadata_takes_the_date_line_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(HTML.format(charset="windows-1252", meta="", first="Publié le 15 septembre 2020")
                     .encode("cp1252"))
    article = read_article(path)
    assert article.date == PartialDate(2020, 9, 15)
    assert "médias" in article.body


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "vide.html"
    path.write_text("<html><head><title>x</title></head><body><script>1</script></body></html>",
                    encoding="utf-8")
    with pytest.raises(CorpusError, match="no article text found in the HTML page"):
        read_article(path)


def test_jsonl_one_article_a_line_and_bad_lines_named(tmp_path: Path) -> None:
    path = tmp_path / "flux.jsonl"
    good = {"text": "Premier texte.", "title": "Premier", "date": "2020-09-14", "url": "https://ex.fr/1"}
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join([
        json.dumps(good, ensure_ascii=False),
        "{pas du json",
        "",
        json.dumps({"text": "Deuxième texte.", "date": "14 septembre 2020"}),
        json.dumps({"text": 3}),
        json.dumps({"text": "Troisième.", "date": "demain", "url": "javascript:alert(1)"}),
        "[" * 100000,
    ]).encode("utf-8") + b"\r\n")
    articles, errors = read_corpus([path])
    assert [(a.id, a.source) for a in articles] == [
        ("flux-1", f"{path}:1"), ("flux-4", f"{path}:4"), ("flux-6", f"{path}:6")]
    first, second, third = articles
    assert (first.title, first.date, first.url, first.body) == (
        "Premier", PartialDate(2020, 9, 14), "https://ex.fr/1", "Premier\n\nPremier texte.")
    assert second.date == PartialDate(2020, 9, 14) and second.title == "Deuxième texte."
    assert third.date is None and third.url is None and len(third.warnings) == 2
    assert [(e.source, e.message.split(" (")[0].split(" at ")[0]) for e in errors] == [
        (f"{path}:2", "not valid JSON"), (f"{path}:5", 'no "text" field'), (f"{path}:7", "not valid JSON")]


def test_jsonl_gives_up_after_many_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "pas_du_jsonl.jsonl"
    path.write_text("pas du json\n" * 1000, encoding="utf-8")
    articles, errors = read_corpus([path])
    assert articles == []
    assert len(errors) == 21 and "not a JSON Lines file" in errors[-1].message


def test_jsonl_size_limit_holds_per_line(tmp_path: Path) -> None:
    path = tmp_path / "gros.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "Court."}) + "\n",
                    encoding="utf-8")
    articles, errors = read_corpus([path], max_bytes=1000)
    assert [a.id for a in articles] == ["gros-2"]
    assert errors == [ReadError(f"{path}:1", "too large: over the 1000 bytes limit (set KG_MAX_FILE_BYTES "
                                             "to raise it)")]


def test_read_article_sends_jsonl_to_read_corpus(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="read it with read_corpus"):
        read_article(path)


def test_size_limit_from_argument_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Titre\n\n" + FRENCH_PARAGRAPH * 8, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"too large: 2\.2 kB, over the 1000 bytes limit"):
        read_article(path, max_bytes=1000)
    monkeypatch.setenv("KG_MAX_FILE_BYTES", "2k")
    assert read_corpus([path])[1][0].message.startswith("too large: 2.2 kB, over the 2.0 kB limit")
    monkeypatch.setenv("KG_MAX_FILE_BYTES", "3k")
    assert read_corpus([path])[1] == []
    monkeypatch.setenv("KG_MAX_FILE_BYTES", "lots")
    articles, errors = read_corpus([path])
    assert len(articles) == 1
    assert errors == [ReadError("KG_MAX_FILE_BYTES", "'lots' is not a size (such as 800000, 500k or 20M); "
                                                     "using the default 5.0 MB")]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Titre\n\nTexte.\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert read_corpus([path]) == ([], [ReadError(str(path), "cannot read file: permission denied")])
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Titre\n\nTexte.\n", encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert read_corpus([path]) == ([], [ReadError(str(path), "cannot read file: permission denied")])


def test_odd_paths_are_reported(tmp_path: Path) -> None:
    loop = tmp_path / "boucle.txt"
    loop.symlink_to(loop)
    pipe = tmp_path / "tube.txt"
    os.mkfifo(pipe)  # opening it would wait forever for a writer
    articles, errors = read_corpus([tmp_path, tmp_path / "absent.txt"])
    assert articles == []
    assert [(Path(e.source).name, e.message) for e in errors] == [
        ("boucle.txt", "cannot read file: Too many levels of symbolic links"),
        ("tube.txt", "not a regular file (a device, pipe or socket)"),
        ("absent.txt", "no such file"),
    ]


def test_same_text_under_two_names_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nLe même texte.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Titre\r\n\r\nLe   même texte.\r\n", encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert [a.id for a in articles] == ["a"]
    assert errors == [ReadError(str(tmp_path / "b.md"), f"same text as {tmp_path / 'a.txt'}; skipped as a duplicate")]


def test_text_that_is_not_french_is_skipped(tmp_path: Path) -> None:
    english = ("The board of the company rejected the offer, which it considers too low. Shareholders will "
               "be consulted before the end of the month, according to a statement from the group. The buyer "
               "declined to comment but said it was studying all of its options.")
    (tmp_path / "en.txt").write_text(f"Title\n\n{english}\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text(f"Titre\n\n{FRENCH_PARAGRAPH}\n", encoding="utf-8")
    (tmp_path / "short_en.txt").write_text("Board rejects offer\n\nThe board said no.\n", encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert [a.id for a in articles] == ["fr", "short_en"]  # too short to judge: kept
    assert [Path(e.source).name for e in errors] == ["en.txt"]
    assert errors[0].message.startswith("not French (only 0% of its 45 words are French function words")


def test_truncated_text_is_kept_with_a_warning(tmp_path: Path) -> None:
    cut = tmp_path / "coupe.txt"
    cut.write_text(f"Titre\n\n{FRENCH_PARAGRAPH} Le groupe a également précisé que les salariés\n",
                   encoding="utf-8")
    signed = tmp_path / "signe.txt"
    signed.write_text(f"Titre\n\n{FRENCH_PARAGRAPH}\n\nAvec AFP\n", encoding="utf-8")
    quoted = tmp_path / "cite.txt"
    quoted.write_text(f"Titre\n\n{FRENCH_PARAGRAPH} « C'est une offre hostile ! »\n", encoding="utf-8")
    (article,) = read_corpus([cut])[0]
    assert article.warnings == ("ends mid-sentence (...'upe a également précisé que les salariés'): the file may be "
                                "truncated; kept as it is",)
    assert read_article(signed).warnings == () and read_article(quoted).warnings == ()


def test_packaged_language_file_loads_and_a_bad_one_is_named(tmp_path: Path) -> None:
    language = load_language()
    assert "les" in language.words and 0 < language.min_ratio < 1
    path = tmp_path / "language.toml"
    path.write_text('[meta]\nmin_words = 10\n\n[language]\nwords = ["le", "Les deux"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"language\.toml:3: rule 'language': words must be lower-case"):
        load_language(path)


def test_a_language_file_makes_the_check_configurable(tmp_path: Path) -> None:
    path = tmp_path / "language.toml"
    path.write_text('[meta]\nmin_words = 3\nmin_ratio = 0.5\n\n[language]\nwords = ["le"]\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(f"Titre\n\n{FRENCH_PARAGRAPH}\n", encoding="utf-8")
    assert "not French" in read_corpus([article], language=load_language(path))[1][0].message


@pytest.mark.parametrize("address, day", [
    ("https://www.example.fr/economie/2023/06/12/norvia-lance-une-offre", PartialDate(2023, 6, 12)),
    ("https://www.example.fr/eco/2023-06-12-norvia-offre-ostrand", PartialDate(2023, 6, 12)),
    ("https://www.example.fr/eco/20230612/norvia", PartialDate(2023, 6, 12)),
])
def test_an_article_dated_only_by_its_address_takes_the_address_s_day(
        tmp_path: Path, address: str, day: PartialDate) -> None:
    path = tmp_path / "depeche.txt"
    path.write_text(f"Norvia lance une offre sur Ostrand\n{address}\n\nNorvia a déposé mardi une offre sur Ostrand.\n",
                    encoding="utf-8")
    assert read_article(path).date == day


def test_a_date_in_the_text_wins_over_the_address_and_an_impossible_day_is_none(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Norvia lance une offre sur Ostrand\nhttps://www.example.fr/eco/2023/06/12/norvia\n"
                    "Publié le 14 juin 2023\n\nNorvia a déposé une offre sur Ostrand.\n", encoding="utf-8")
    assert read_article(path).date == PartialDate(2023, 6, 14)
    path.write_text("Norvia lance une offre sur Ostrand\nhttps://www.example.fr/eco/2023/02/30/norvia\n\n"
                    "Norvia a déposé une offre sur Ostrand.\n", encoding="utf-8")
    assert read_article(path).date is None
