"""Which deal a refusal, a block or a status word is about: checks on invented sentences."""

from __future__ import annotations

from kg.dates import PartialDate
from kg.extract import default_extractor
from tests.extraction import extracted, facts


def bids(text: str) -> dict[tuple[str, str], dict]:
    """(bidder, target) -> {"status": ..., "rejected_by": {...}} for every bid of the text."""
    out = {}
    for fact in extracted(text).facts:
        if fact.kind != "bid":
            continue
        for bidder in fact.roles["bidder"]:
            out[(bidder, fact.roles["target"][0])] = {
                "status": fact.attrs["status"], "rejected_by": set(fact.roles["rejected_by"])}
    return out


def test_who_filed_the_rejected_offer_is_not_who_rejected_it() -> None:
    found = bids("Le conseil d'administration d'Ostrand a rejeté l'offre publique déposée en mars par Valmont.")
    assert found[("valmont", "ostrand")]["rejected_by"] == {"ostrand"}


def test_a_refusal_goes_to_the_offer_its_sentence_states_not_to_a_rival() -> None:
    text = ("Le fonds Borelli Capital veut racheter Ostrand. "
            "Ostrand a repoussé lundi l'offre publique déposée par Valmont.")
    found = bids(text)
    assert found[("valmont", "ostrand")]["rejected_by"] == {"ostrand"}
    assert found[("borelli-capital", "ostrand")]["rejected_by"] == set()


def test_a_company_bidding_elsewhere_can_still_refuse_an_offer_for_itself() -> None:
    text = ("Duvelle a lancé une OPA sur Kesterel en janvier. "
            "Valmont a ensuite proposé de racheter Duvelle, une offre aussitôt rejetée par Duvelle.")
    found = bids(text)
    assert "duvelle" in found[("valmont", "duvelle")]["rejected_by"]


def test_a_refusal_in_a_relative_clause_goes_to_the_offer_it_qualifies() -> None:
    found = bids("Le groupe Norvia avait présenté en mai une offre sur Kesterel, que le conseil de Kesterel "
                 "avait rejetée, avant de s'effacer devant la surenchère de Valmont.")
    assert found[("norvia", "kesterel")] == {"status": "rejected", "rejected_by": {"kesterel"}}
    assert found[("valmont", "kesterel")]["rejected_by"] == set()


def test_a_board_that_turns_down_an_offer_for_no_named_target_makes_its_company_the_target() -> None:
    found = bids("La première proposition de Valmont, rendue publique en juin, avait été écartée "
                 "par le conseil de surveillance d'Ostrand.")
    assert found[("valmont", "ostrand")] == {"status": "rejected", "rejected_by": {"ostrand"}}


def test_an_owner_turning_down_an_offer_is_not_taken_for_the_target() -> None:
    text = ("Le groupe Tarvex, maison mère de Kesterel, se tait. "
            "Le fonds Borelli Capital veut racheter Kesterel. Tarvex a rejeté son offre mardi.")
    found = bids(text)
    assert set(found) == {("borelli-capital", "kesterel")}  # Tarvex neither bids nor is bid for
    assert found[("borelli-capital", "kesterel")]["rejected_by"] == {"tarvex"}


def test_an_authority_that_prohibits_the_deal_referred_back_to_blocks_it() -> None:
    text = ("Valmont veut racheter Kesterel pour 3 milliards d'euros. "
            "La Commission européenne a interdit l'opération mercredi.")
    found = bids(text)
    assert found[("valmont", "kesterel")] == {"status": "blocked", "rejected_by": {"commission-europeenne"}}


def test_a_suit_to_block_a_deal_decides_nothing() -> None:
    text = ("Valmont veut racheter Kesterel. "
            "La Federal Trade Commission a porté plainte pour bloquer la transaction.")
    found = bids(text)
    assert found[("valmont", "kesterel")] == {"status": "announced", "rejected_by": set()}


def test_prohibiting_a_product_is_not_blocking_the_deal_of_the_sentence() -> None:
    text = ("Le gouvernement italien a signé un décret interdisant l'application, "
            "et le rachat de Kesterel par Valmont reste en suspens.")
    assert found_status(text, ("valmont", "kesterel")) != "blocked"


def test_a_past_prohibition_of_another_merger_stays_with_that_merger() -> None:
    text = ("Valmont veut racheter Kesterel. "
            "Bruxelles avait déjà interdit en 2015 sa fusion avec Norvia.")
    assert found_status(text, ("valmont", "kesterel")) == "announced"


def test_a_seller_abandoning_the_sale_refuses_it() -> None:
    text = ("Le groupe Tarvex négocie la vente de Kesterel à Valmont. "
            "Tarvex a finalement abandonné le projet de vente.")
    found = bids(text)
    assert found[("valmont", "kesterel")] == {"status": "rejected", "rejected_by": {"tarvex"}}


def test_parties_ending_talks_together_withdraw_the_deal() -> None:
    text = "Kesterel et Valmont ont mis fin à leurs discussions sur le rachat de Kesterel par Valmont."
    assert bids(text)[("valmont", "kesterel")] == {"status": "withdrawn", "rejected_by": set()}


def test_a_withdrawal_after_a_refusal_is_the_latest_status() -> None:
    text = ("Valmont a déposé une offre sur Kesterel, aussitôt rejetée par Kesterel. "
            "Valmont a retiré son offre sur Kesterel en mai.")
    assert bids(text)[("valmont", "kesterel")] == {"status": "withdrawn", "rejected_by": {"kesterel"}}


def found_status(text: str, pair: tuple[str, str]) -> str | None:
    found = bids(text).get(pair)
    return found["status"] if found else None


RIVALS = "Le groupe Tarvex préfère céder Kesterel à Valmont ou à un consortium mené par Borelli Capital."


def test_rival_buyers_joined_by_ou_are_two_bids() -> None:
    assert {"valmont", "borelli-capital"} == {b for b, _ in bids(RIVALS)}
    bidder_lists = [f.roles["bidder"] for f in extracted(RIVALS).facts if f.kind == "bid"]
    assert all(len(b) == 1 for b in bidder_lists)  # never one joint bid of rivals


def test_partners_joined_by_alliance_are_one_joint_bid() -> None:
    text = "Valmont, allié à Borelli Capital, a déposé une offre sur Kesterel."
    bidder_lists = [set(f.roles["bidder"]) for f in extracted(text).facts if f.kind == "bid"]
    assert bidder_lists == [{"valmont", "borelli-capital"}]


def test_an_offer_or_the_rivals_is_not_a_bid_on_the_rival() -> None:
    found = bids("Kesterel doit choisir entre l'offre de Valmont ou celle de Borelli Capital.")
    assert ("valmont", "borelli-capital") not in found


def test_a_closing_hoped_for_or_planned_is_pending_not_completed() -> None:
    for text in ("Valmont espère boucler le rachat de Kesterel d'ici juin.",
                 "Le groupe Norvia compte finaliser l'acquisition de Tarvex d'ici la fin de l'année.",
                 "Norvia finalisera l'acquisition de Tarvex en juin."):
        assert {f["status"] for f in bids(text).values()} == {"pending"}, text
    assert bids("Valmont a bouclé le rachat de Kesterel.")[("valmont", "kesterel")]["status"] == "completed"


HISTORY = ("Valmont a déposé en janvier une offre sur Kesterel, aussitôt rejetée par Kesterel. "
           "En mars, Valmont a retiré son offre sur Kesterel.")


def test_a_bid_keeps_its_status_history_with_dates_and_the_latest_as_its_status() -> None:
    from rdflib import Graph

    from kg.namespaces import DKG
    from kg.rdf import article_triples

    facts = extracted(HISTORY, PartialDate(2024, 3, 20))
    graph = Graph()
    for triple in article_triples(facts):
        graph.add(triple)
    rows = graph.query(
        "SELECT ?status ?date ?sentence WHERE { ?bid dkg:statusChange ?c . ?c dkg:toStatus ?status ; "
        "dkg:evidence/dkg:sentence ?sentence . OPTIONAL { ?c dkg:eventDate ?date } }",
        initNs={"dkg": DKG._NS})
    steps = {(str(r.status).rsplit("#", 1)[1], str(r.date) if r.date else None) for r in rows}
    assert ("Rejected", "2024-01") in steps and ("Withdrawn", "2024-03") in steps
    assert bids(HISTORY)[("valmont", "kesterel")]["status"] == "withdrawn"


def test_a_later_dated_step_outranks_the_order_of_a_deals_life() -> None:
    from kg.extract import StatusChange, latest_status

    def step(status: str, month: int) -> StatusChange:
        from kg.extract import Evidence
        return StatusChange(status, Evidence("a", status, month, month + 1, "r"), PartialDate(2024, month))

    # refused in January, talks again in March: pending, though "rejected" comes later in a deal's life
    assert latest_status([step("rejected", 1), step("pending", 3)], "rejected") == "pending"
    # named again with a date, the bid is no new step
    assert latest_status([step("rejected", 1), step("announced", 3)], "rejected") == "rejected"


def test_a_bidder_named_after_a_long_description_is_still_the_bidder() -> None:
    found = bids("Le conseil d'Ostrand a rejeté jeudi l'offre non sollicitée du leader mondial des "
                 "semences Arkadis.")
    assert found[("arkadis", "ostrand")] == {"status": "rejected", "rejected_by": {"ostrand"}}
    found = bids("Kesterel a repoussé la proposition de rachat du fabricant italien de pneumatiques "
                 "Borelli.")
    assert found[("borelli", "kesterel")]["rejected_by"] == {"kesterel"}


def test_an_agreement_to_buy_a_block_from_someone_is_not_a_partnership() -> None:
    facts = extracted("Valmont a conclu un accord avec le fonds Norvia Capital pour lui racheter "
                      "12 % du capital de Kesterel.").facts
    assert not [f for f in facts if f.kind == "partnership"]
    facts = extracted("Valmont a conclu un accord avec le fonds Norvia Capital pour développer "
                      "ensemble des batteries.").facts
    assert [f.roles["partner"] for f in facts if f.kind == "partnership"] == [["valmont", "norvia-capital"]]


def test_an_approval_said_of_another_offer_does_not_approve_the_offer_named_first() -> None:
    text = ("Borelli a surpassé l'offre initiale de Valmont sur Kesterel : il a présenté en mai une "
            "proposition à 20 euros par titre, validée depuis sans réserve par la Commission européenne.")
    found = bids(text)
    assert found[("valmont", "kesterel")]["status"] != "approved"


def test_an_approval_not_yet_received_is_a_review_not_an_approval() -> None:
    text = ("Valmont a lancé une offre sur Kesterel. Mais celle-ci n'a toujours pas reçu le feu vert "
            "de la Commission européenne.")
    facts = extracted(text).facts
    actions = {f.attrs["action"] for f in facts if f.kind == "regulation"}
    assert actions == {"review"}
    assert bids(text)[("valmont", "kesterel")]["status"] != "approved"


def test_a_deal_under_review_is_pending() -> None:
    text = ("Valmont a déposé une offre publique d'achat sur Kesterel. "
            "La Commission européenne a ouvert une enquête approfondie sur l'opération.")
    assert bids(text)[("valmont", "kesterel")]["status"] == "pending"


def test_a_review_of_no_deal_in_particular_leaves_a_side_bid_as_it_was() -> None:
    text = ("Valmont a déposé une offre publique d'achat sur Kesterel. Valmont a relevé son offre sur "
            "Kesterel en juin. Le fonds Norvia Capital a aussi proposé de racheter Kesterel. "
            "L'Autorité des marchés financiers examine désormais le dossier.")
    found = bids(text)
    assert found[("valmont", "kesterel")]["status"] == "pending"
    assert found[("norvia-capital", "kesterel")]["status"] == "announced"


def test_giving_up_another_act_or_a_listing_is_no_withdrawal() -> None:
    text = ("Valmont a lancé une offre publique d'achat sur Kesterel en mars. Faute d'accord de Pékin, "
            "Valmont a renoncé à faire de ce feu vert une condition de son offre.")
    assert bids(text)[("valmont", "kesterel")]["status"] != "withdrawn"
    text = ("Valmont a finalisé le rachat de Kesterel en mars. "
            "Valmont compte mettre fin à la cotation de Kesterel à Paris.")
    assert bids(text)[("valmont", "kesterel")]["status"] == "completed"


def test_a_withdrawal_only_attempted_is_no_withdrawal() -> None:
    text = ("Valmont a finalisé jeudi le rachat de Kesterel, lui qui avait tenté en juillet de s'en "
            "retirer en accusant Kesterel de dissimuler ses pertes.")
    assert bids(text)[("valmont", "kesterel")]["status"] == "completed"


def test_a_company_name_the_tagger_reads_as_a_pronoun_is_still_a_name() -> None:
    _, mentions = default_extractor().matches("Ostrand, lui, fait les frais de son échec. Arkadis se tait.")
    assert {m.actor.name for m in mentions.mentions} >= {"Ostrand"}


def test_holding_a_majority_after_the_offer_completes_it_and_a_holding_to_come_is_pending() -> None:
    done = bids("Norvia a annoncé jeudi détenir 88 % du capital de Tarvex à l'issue de son offre publique d'achat.")
    assert done[("norvia", "tarvex")]["status"] == "completed"
    coming = bids("Au terme de son OPA, Norvia détiendra 91 % de Tarvex.")
    assert coming[("norvia", "tarvex")]["status"] == "pending"


def test_a_bid_on_a_company_its_owner_owns_outright_is_bought_from_that_owner() -> None:
    text = ("Le groupe Valmont a annoncé le rachat du groupe Kesterel pour 2 milliards d'euros. Le groupe "
            "Borelli, propriétaire de Kesterel depuis 2015, a salué l'opération.")
    bids = facts(text, "bid")
    assert [(b.roles["bidder"], b.roles["target"], b.roles["seller"]) for b in bids] == [
        (["valmont"], ["kesterel"], ["borelli"])]


def test_a_shareholder_is_not_the_seller() -> None:
    text = ("Le groupe Valmont a annoncé le rachat du groupe Kesterel pour 2 milliards d'euros. Le fonds "
            "Borelli, qui détient 12 % de Kesterel, a salué l'opération.")
    bids = facts(text, "bid")
    assert [b.roles["seller"] for b in bids] == [[]]


def test_a_deal_named_by_its_two_parties_is_a_bid_of_the_first_for_the_second() -> None:
    text = ("Grévine a confirmé des discussions avec Ostrand. "
            "La Commission européenne examinera le rachat géant Grévine-Ostrand.")
    assert ("grevine", "ostrand") in bids(text)
    assert ("ostrand", "grevine") not in bids(text)


def test_an_object_pronoun_standing_for_the_offer_rejects_it() -> None:
    text = ("Le fonds Halvard a proposé mardi de racheter Corvane. Le PDG a jugé que la proposition "
            "de Halvard restait sans suite. Le conseil de Corvane l'a écartée dans la soirée.")
    assert bids(text)[("halvard", "corvane")]["rejected_by"] == {"corvane"}


def test_an_object_pronoun_standing_for_something_else_rejects_no_offer() -> None:
    text = ("Le fonds Halvard a déposé une offre sur Corvane. Des salariés ont déposé une plainte. "
            "Le tribunal l'a rejetée lundi.")
    found = bids(text)
    assert found[("halvard", "corvane")]["rejected_by"] == set()
    assert found[("halvard", "corvane")]["status"] != "rejected"


def test_rejecting_another_plan_of_the_target_is_no_refusal_of_the_offer() -> None:
    text = ("Le fonds Halvard a déposé une offre sur Corvane. Le fonds Brevik Capital, actionnaire "
            "de Corvane, a rejeté le projet de scission.")
    found = bids(text)
    assert found[("halvard", "corvane")]["rejected_by"] == set()
    assert found[("halvard", "corvane")]["status"] == "announced"


def test_a_description_the_article_gave_names_the_board_that_rejects() -> None:
    text = ("Le réassureur Tarvex intéresse Norvia depuis longtemps. Norvia avait proposé 43 euros "
            "par action pour prendre le contrôle de Tarvex, offre aussitôt repoussée par le conseil "
            "du réassureur.")
    assert bids(text)[("norvia", "tarvex")]["rejected_by"] == {"tarvex"}


def test_a_refusal_dated_by_a_month_alone_happened_before_the_article() -> None:
    # the article is of March 2024: a refusal "fin août" was August 2023, before the withdrawal
    text = ("Norvia a renoncé le 1er mars à son offre sur Tarvex. Norvia avait proposé fin août "
            "de racheter Tarvex, une offre repoussée fin août par le conseil de Tarvex.")
    (bid,) = [f for f in extracted(text).facts if f.kind == "bid"]
    assert bid.attrs["status"] == "withdrawn"
    rejected = [c.date for c in bid.history if c.status == "rejected"]
    assert rejected and all(d is not None and d.year == 2023 for d in rejected)


def test_a_target_preferring_one_bidder_to_its_rivals_turns_the_others_down() -> None:
    text = ("Tolmar voulait racheter Fennic. Halvard a aussi fait une offre sur Fennic. Fennic a "
            "finalement préféré Halvard à ses rivaux, l'offre du groupe étant plus élevée.")
    found = bids(text)
    assert found[("tolmar", "fennic")] == {"status": "rejected", "rejected_by": {"fennic"}}
    assert found[("halvard", "fennic")]["rejected_by"] == set()


def test_a_target_preferring_one_bidder_to_another_turns_that_one_down() -> None:
    text = ("Valmont a déposé une offre sur Kesterel. Borelli Capital a lui aussi déposé une offre sur "
            "Kesterel. Kesterel a finalement préféré Valmont à Borelli Capital.")
    found = bids(text)
    assert found[("borelli-capital", "kesterel")]["rejected_by"] == {"kesterel"}
    assert found[("valmont", "kesterel")]["status"] == "announced"


def test_an_object_pronoun_takes_the_offer_of_the_sentence_before() -> None:
    text = ("Le groupe Ardel a lancé une offre sur Fenwick. Le conseil d'administration de Fenwick "
            "l'a rejetée à l'unanimité.")
    found = bids(text)
    assert found[("ardel", "fenwick")]["status"] == "rejected"
    assert found[("ardel", "fenwick")]["rejected_by"] == {"fenwick"}


def test_a_board_rejecting_an_offer_is_the_targets_board() -> None:
    # the board's owner is left unsaid: a bidder does not reject its own offer
    text = "Le fonds Morvan a déposé une offre sur Lisca. La direction a rejeté l'offre de Morvan."
    found = bids(text)
    assert found[("morvan", "lisca")]["rejected_by"] == {"lisca"}


def test_an_offer_launched_after_a_refusal_is_the_latest_step() -> None:
    text = ("Lisca avait rejeté en janvier la proposition de rachat du fonds Morvan. "
            "Morvan a lancé en mars une offre hostile sur Lisca.")
    found = bids(text)
    assert found[("morvan", "lisca")]["status"] == "announced"


def test_a_refusal_told_in_the_pluperfect_came_before_a_provisional_block() -> None:
    # the block is what the article reports; the board's refusal is background
    for text, deal in (
        ("Le gouvernement italien bloque provisoirement le rachat de Tarvex par le fonds Maribor. "
         "L'offre avait été rejetée en mai par le conseil de Tarvex.", ("maribor", "tarvex")),
        ("Le gouvernement espagnol a bloqué pour l'instant le rachat d'Ostrand par Norvia. "
         "Le conseil d'Ostrand avait repoussé l'offre de Norvia en mars.", ("norvia", "ostrand")),
    ):
        assert bids(text)[deal]["status"] == "pending"


def test_a_refusal_reported_alongside_a_provisional_block_stands() -> None:
    text = ("Le gouvernement espagnol a bloqué pour l'instant le rachat d'Ostrand par Norvia. "
            "Le conseil d'Ostrand a repoussé l'offre de Norvia en mars.")
    assert bids(text)[("norvia", "ostrand")]["status"] == "rejected"


def test_a_passive_s_agent_after_an_aside_is_who_refused() -> None:
    # "rejetée sans attendre par X": the model hangs "par X" on the infinitive in between
    for text, deal in (
        ("Déposée en mars, l'offre du fonds Maribor a été repoussée sans hésiter par la direction de Tarvex.",
         ("maribor", "tarvex")),
        ("L'offre de Norvia sur Ostrand a été rejetée sans attendre par le conseil d'Ostrand.",
         ("norvia", "ostrand")),
    ):
        assert bids(text)[deal] == {"status": "rejected", "rejected_by": {deal[1]}}


def test_what_a_decree_orders_is_not_its_author() -> None:
    # the companies named in what the decree prohibits or orders are the deal's, never its author
    for text, company in (
        ("Le président américain a signé un décret interdisant le rachat de Tarvex par Maribor.", "tarvex"),
        ("Un décret ordonnant la cession d'Ostrand par Norvia a été publié mardi.", "ostrand"),
    ):
        found = extracted(text).facts
        assert not [f for f in found if company in f.roles.get("regulator", []) + f.roles.get("rejected_by", [])]


def test_a_merger_of_two_partners_each_with_its_own_de_is_blocked_whole() -> None:
    found = bids("La Commission européenne a bloqué mardi la fusion de Norvia et d'Ostrand.")
    assert found == {("norvia", "ostrand"): {"status": "blocked", "rejected_by": {"commission-europeenne"}}}


def test_the_offer_a_chooser_did_not_prefer_is_rejected() -> None:
    # "a préféré l'offre de A à celle de B": B's offer is turned down, A's is not
    found = bids("Norvia a préféré l'offre de Maribor à celle de Grévine.")
    assert found[("grevine", "norvia")] == {"status": "rejected", "rejected_by": {"norvia"}}
    assert found[("maribor", "norvia")]["rejected_by"] == set()


def test_a_compound_past_the_model_reads_as_a_passive_keeps_its_subject() -> None:
    # "X a retiré ...": the model tags X as a passive subject; with "avoir" alone, X acted
    found = bids("Le fonds Harvel a finalement retiré jeudi l'offre qu'il avait déposée sur Tarvex.")
    assert found == {("harvel", "tarvex"): {"status": "withdrawn", "rejected_by": set()}}
    found = bids("Ostrand a finalement rejeté lundi l'offre présentée par Norvia.")
    assert found == {("norvia", "ostrand"): {"status": "rejected", "rejected_by": {"ostrand"}}}


def test_an_approval_its_author_refuses_to_give_is_a_prohibition() -> None:
    for text, deal, authority in (
        ("Le gouvernement allemand a refusé de donner son feu vert au rachat de Tarvex par Maribor.",
         ("maribor", "tarvex"), "gouvernement-allemand"),
        ("L'Autorité de la concurrence a refusé d'autoriser le rachat d'Ostrand par Norvia.",
         ("norvia", "ostrand"), "autorite-de-la-concurrence"),
    ):
        found = extracted(text).facts
        actions = {f.attrs["action"] for f in found if f.kind == "regulation"}
        assert "approval" not in actions and "prohibition" in actions
        assert bids(text)[deal] == {"status": "blocked", "rejected_by": {authority}}


def test_a_seller_may_itself_be_bid_for_by_someone_else() -> None:
    # the seller of one deal is the target of another: the offer on it is not for what it sells
    text = "Le groupe Kesterel va vendre Duvelle à Borelli. Le groupe Valmont a lancé une OPA sur Kesterel."
    pairs = [(f.roles["bidder"], f.roles["target"]) for f in facts(text, "bid")]
    assert (["valmont"], ["kesterel"]) in pairs and (["borelli"], ["duvelle"]) in pairs, pairs
