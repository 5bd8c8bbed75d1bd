"""kg.corpus: reading the seed articles and synthetic files into clean Articles."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.corpus import (
    Article,
    CorpusError,
    ReadError,
    load_furniture,
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
    (tmp_path / "b_latin1.txt").write_bytes("Offre reçue en août".encode("latin-1"))
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_blank.txt").write_text(" \n\u00a0\n\n", encoding="utf-8")
    (tmp_path / "e_good.txt").write_text("Autre titre\n\nAutre texte.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("not an article", encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert [a.id for a in articles] == ["a_good", "e_good"]
    by_name = {Path(e.source).name: e.message for e in errors}
    assert sorted(by_name) == ["b_latin1.txt", "c_empty.txt", "d_blank.txt"]
    assert "UTF-8" in by_name["b_latin1.txt"]
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
