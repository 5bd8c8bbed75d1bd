"""A deal still under way (awaited approvals, closings not yet done) and offers never made."""

from __future__ import annotations

from tests.extraction import facts


def statuses(text: str) -> dict[tuple[str, str], str]:
    return {(f.roles["bidder"][0], f.roles["target"][0]): f.attrs["status"]
            for f in facts(text) if f.kind == "bid"}


def actions(text: str) -> set[tuple[str, str]]:
    return {(f.roles["regulator"][0], f.attrs["action"]) for f in facts(text) if f.kind == "regulation"}


def test_an_approval_still_to_obtain_is_a_review_and_the_deal_waits() -> None:
    text = ("Valmont a annoncé le rachat de Kesterel. L'opération doit encore obtenir le feu vert "
            "de la Commission européenne.")
    assert actions(text) == {("commission-europeenne", "review")}
    assert statuses(text)[("valmont", "kesterel")] == "pending"


def test_an_approval_waited_for_is_no_approval() -> None:
    text = ("Norvia a conclu un accord pour racheter Tarvex. Norvia attend le feu vert de la "
            "Commission européenne, attendu en juin.")
    assert ("commission-europeenne", "approval") not in actions(text)


def test_an_approval_given_is_an_approval() -> None:
    text = ("Norvia a conclu un accord pour racheter Tarvex. Norvia a obtenu le feu vert de la "
            "Commission européenne.")
    assert ("commission-europeenne", "approval") in actions(text)


def test_a_deal_subject_to_approvals_is_pending() -> None:
    text = "Le rachat d'Ostrand par Grévine reste soumis à l'approbation des actionnaires d'Ostrand."
    assert statuses(text)[("grevine", "ostrand")] == "pending"


def test_a_closing_not_yet_done_is_pending_and_never_completed() -> None:
    text = "Le rachat de Kesterel par Valmont, annoncé en janvier, n'est pas encore bouclé."
    assert statuses(text)[("valmont", "kesterel")] == "pending"


def test_a_deal_under_way_does_not_revive_a_withdrawn_offer() -> None:
    text = ("Norvia a retiré son offre sur Tarvex en janvier. En mars, le rachat de Tarvex par Valmont "
            "restait soumis à l'approbation des actionnaires.")
    assert statuses(text)[("norvia", "tarvex")] == "withdrawn"


def test_a_deadline_still_to_come_keeps_the_deal_open() -> None:
    text = ("Le groupe Valmont a lancé une offre publique d'achat sur Kesterel. Les actionnaires "
            "de Kesterel ont jusqu'au 28 mars pour apporter leurs titres à l'offre.")
    assert statuses(text)[("valmont", "kesterel")] == "pending"


def test_a_deadline_already_past_leaves_the_status_alone() -> None:
    text = ("Le groupe Valmont a lancé une offre publique d'achat sur Kesterel. Les actionnaires "
            "de Kesterel avaient jusqu'au 28 février pour apporter leurs titres à l'offre.")
    assert statuses(text)[("valmont", "kesterel")] == "announced"


def test_giving_up_filing_an_offer_asserts_no_bid() -> None:
    assert statuses("Valmont a finalement renoncé à lancer une offre sur Kesterel.") == {}


def test_giving_up_an_offer_made_is_a_withdrawal() -> None:
    assert statuses("Valmont a renoncé à son offre sur Kesterel.") == {("valmont", "kesterel"): "withdrawn"}


def test_a_step_taken_without_an_offer_asserts_no_bid() -> None:
    assert statuses("Valmont est monté à 5 % de Kesterel sans lancer d'offre sur le groupe.") == {}


def deadlines(text: str) -> dict[str, list[str]]:
    """due date (ISO) -> who imposed it, for every deadline of the text (article of 2024-03-05)."""
    return {f.due.iso(): f.roles["imposed_by"] for f in facts(text, "deadline")}


def test_a_closing_planned_past_an_adverb_is_pending_not_completed() -> None:
    text = ("Le groupe Valmont va racheter Kesterel. Valmont prévoit désormais de finaliser "
            "la transaction le 27 avril.")
    assert statuses(text)[("valmont", "kesterel")] == "pending"


def test_a_closing_planned_by_the_end_of_the_year_is_a_target_nobody_imposed() -> None:
    text = ("La Commission européenne examine le rachat de Kesterel par Valmont. Valmont compte le "
            "finaliser d'ici à la fin de l'année.")
    assert deadlines(text) == {"2024-12": []}


def test_the_end_of_a_named_year_is_due_in_its_december() -> None:
    text = "Valmont va racheter Kesterel et s'attend à sa clôture d'ici la fin de l'année civile 2025."
    assert "2025-12" in deadlines(text)


def test_a_deadline_a_duty_sets_keeps_whoever_set_it() -> None:
    text = ("Le président Tarvel a signé un décret contre Valmont. La vente de Kesterel doit "
            "intervenir d'ici le 12 novembre.")
    assert deadlines(text)["2024-11-12"] == ["tarvel"]


def test_a_block_or_refusal_said_to_be_provisional_leaves_the_deal_pending() -> None:
    # who refused is kept, but "for now" is no final prohibition
    text = "Le gouvernement canadien bloque, pour l'instant, le rachat de Norvane par Trelis Mining."
    [bid] = facts(text, "bid")
    assert bid.attrs["status"] == "pending"
    assert bid.roles["rejected_by"] == ["gouvernement-canadien"]
    text = ("Trelis Mining a lancé une offre sur Norvane. Le conseil de Norvane a opposé un refus "
            "provisoire à l'offre de Trelis Mining.")
    assert statuses(text)[("trelis-mining", "norvane")] == "pending"


def test_an_authority_setting_a_deal_s_deadline_acts_on_the_deal() -> None:
    text = ("Trelis Mining veut racheter Norvane. Selon le calendrier fixé par le Takeover Panel, Trelis "
            "Mining a jusqu'au 9 avril pour améliorer son offre.")
    assert ("takeover-panel", "order") in actions(text)
    [bid] = facts(text, "bid")
    assert "takeover-panel" in bid.roles["regulator"]


def test_an_authority_only_named_sentences_before_the_deadline_did_not_set_it() -> None:
    text = ("Trelis Mining veut racheter Norvane et a sollicité l'avis de l'Autorité des marchés financiers. "
            "Si aucun accord n'est trouvé avant le 9 avril, l'opération sera abandonnée.")
    assert ("autorite-des-marches-financiers", "order") not in actions(text)
