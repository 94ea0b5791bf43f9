"""Roles read from the dependency parse, one construction class at a time (the classes that
broke the word-order rules on real news). Every sentence is written for this test."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from pipeline.extraction import extract_mentions
from pipeline.extraction.article import build_article
from pipeline.extraction import parser as model

PUB = date(2020, 11, 27)  # a Friday


def pairs(text: str, published: date | None = PUB) -> set[tuple[str, str]]:
    return {(m.actor, m.target) for m in extract_mentions(text, published=published)}


@pytest.mark.parametrize(("text", "expected"), [
    # A clause on a reaction "by" someone is that someone's, not the reporting state's.
    ("Chile said it noted the reaction by the foreign ministry of Bolivia condemning Peru's seizure of the boats.",
     {("BOL", "PER")}),
    # A passive summons, and a "by" phrase that belongs to the cause, not to the verb.
    ("Norway's envoy was summoned to the Finnish foreign ministry on Tuesday over a journey to Tromso "
     "by Chilean officials.", {("FIN", "NOR")}),
    # An embassy sends a note to "the country's" ministry: the embassy's host.
    ("The Dutch embassy in Peru sent a note of protest to the country's foreign ministry on Monday.", {("NLD", "PER")}),
    # An ambassador "to Y" hands over his own state's protest to the Y side.
    ("The Kenyan ambassador to Ghana handed the protest of Kenya to the Ghanaian side on Monday.", {("KEN", "GHA")}),
    # A protest "from the authorities in <capital>": the capital's state protests, to the visitor's.
    ("The tour by the Portuguese minister prompted a strong protest from the government in Lima.", {("PER", "PRT")}),
    # The cause's actor (a separatist visitor) is never the protester.
    ("A visit to Paris by the separatist leader drew a formal protest from Baku on Thursday.", {("AZE", "FRA")}),
    # "from the authorities in <capital>", with "in" hung on the protest by the parser.
    ("The Russian minister's visit to the islands triggered a strong protest from the authorities in Tokyo.",
     {("JPN", "RUS")}),
    # "indignation in Baku", with "in" hung on the verb: Baku judges, the visit's host is judged.
    ("The visit of the Karabakh separatist leader to Moscow caused indignation in Baku.", {("AZE", "RUS")}),
    # "in protest of / in response to" on the diplomat is why he was summoned, not where he serves:
    # the author of the protested text is no host, and so not the summoner.
    ("Quito, Ecuador - A news agency reports that the country's foreign ministry has summoned the Peruvian "
     "ambassador in protest of a trade motion by the Chilean senate.", {("ECU", "PER")}),
    ("LIMA, Peru (AP) — A news agency is reporting that the country's foreign ministry has summoned the Dutch "
     "ambassador in response to a human rights resolution by the Chilean Senate.", {("PER", "NLD")}),
    # "he was summoned": the envoy the sentence names
    ("The Ambassador of Chile to Peru was informed of the decision after he was summoned to the Foreign "
     "Ministry in Lima on Monday.", {("PER", "CHL")}),
    # a communiqué issued "to express" discontent expressed it
    ("The Chilean foreign minister said his ministry issued a communiqué on Monday to express Chilean "
     "discontent with Peru's decision.", {("CHL", "PER")}),
    # "X is firmly opposed to Y's action": X judges Y's action
    ("The Chilean side is strongly dissatisfied and is firmly opposed to Peru's action, the spokesman noted.",
     {("CHL", "PER")}),
    # the German "Federal Foreign Office" is Germany's, not the British "Foreign Office"
    ("The envoy of the Chinese Embassy was summoned to the Federal Foreign Office on Monday.", {("DEU", "CHN")}),
    # "deeming the deal a violation": the parser's two objects of a verdict, the first judged
    ("Peru signed a fishing deal with Ecuador on Monday. The Chilean government, deeming the fishing deal a violation "
     "of its sovereignty, stated its intention to appeal to the United Nations.", {("CHL", "PER")}),
    # "such breaches of Chile's sovereignty": Chile suffered them; the breaches are the article's
    ("Peru's navy boarded the ship off Arica on Monday. The Chilean government takes strong exception to such "
     "breaches of Chile's sovereignty.", {("CHL", "PER")}),
    # "the Andean nation of Bolivia": the nation is the state its "of" phrase names
    ("The Andean nation of Bolivia has sent a protest note to Chile over the new border post.", {("BOL", "CHL")}),
    # a protest with no object answers the act of the clause that tells why, not a state named elsewhere
    ("Chile issued a strong protest on Tuesday after Peru deported several Chilean fishermen to Bolivia.",
     {("CHL", "PER")}),
])
def test_roles_come_from_the_grammar_not_the_word_order(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Turkey summoned the ambassadors of Italy, Greece and Malta on Monday.",
     {("TUR", "ITA"), ("TUR", "GRC"), ("TUR", "MLT")}),
    ("Turkey summoned the ambassadors of nine countries, including Italy, Greece and Malta, on Monday.",
     {("TUR", "ITA"), ("TUR", "GRC"), ("TUR", "MLT")}),
    ("Ecuador, Bolivia and Chile summoned the envoys of Spain on Friday.",
     {("ECU", "ESP"), ("BOL", "ESP"), ("CHL", "ESP")}),
    # a list of adjectives the parser reads as "the Irish" and "(Spanish and Norwegian) ambassadors"
    ("The Irish, Spanish and Norwegian ambassadors were summoned to Israel's Foreign Ministry on Thursday.",
     {("ISR", "IRL"), ("ISR", "ESP"), ("ISR", "NOR")}),
    ("The Irish, Spanish and Norwegian Ambassadors were reprimanded on Thursday at Israel's Foreign Ministry.",
     {("ISR", "IRL"), ("ISR", "ESP"), ("ISR", "NOR")}),
    # The parser takes a list's second state for the first's apposition: still a list ...
    ("Chile, the United States and the European Union condemned Peru's seizure of the boats on Monday.",
     {("CHL", "PER"), ("USA", "PER"), ("EUU", "PER")}),
    # ... but not a bracketed gloss: "Taiwan (China)" is one party.
    ("Vietnam said on Monday the drills by Taiwan (China) were a gross violation of Vietnam's sovereignty.",
     {("VNM", "TWN")}),
    # "A and B joined C in condemning ...": those who joined condemned.
    ("Argentina, Bolivia and Ecuador joined several other states in condemning Peru's seizure of the boats on Monday.",
     {("ARG", "PER"), ("BOL", "PER"), ("ECU", "PER")}),
    # An international body among a group's listed examples does not make the group that body.
    ("Several nations, including Chile, Bolivia and Ecuador, as well as the Organization of American States, "
     "have protested Peru's seizure of the boats.", {("CHL", "PER"), ("BOL", "PER"), ("ECU", "PER")}),
    # "criticised and dismissed X": the verb without an object of its own takes the next one's.
    ("Bolivia criticised and dismissed the fishing accord between Chile and Peru on Monday.",
     {("BOL", "CHL"), ("BOL", "PER")}),
    # A list is a coordination: "the visit of X to Y" names one target, not two.
    ("Lithuania protested against the visit of the Belarusian minister to Latvia on Monday.", {("LTU", "BLR")}),
    # "the envoys" points back to the envoys just listed, even when that sentence only planned the summons
    ("Chile will reprimand the ambassadors of Peru, Bolivia and Ecuador on Thursday, an official said. The envoys "
     "have been summoned to the Foreign Ministry in Santiago.", {("CHL", "PER"), ("CHL", "BOL"), ("CHL", "ECU")}),
])
def test_each_listed_state_is_an_incident(text, expected):
    assert pairs(text) == expected


def test_a_long_list_is_one_level_deep():
    text = ("Perú summoned the ambassadors of Chile, Bolivia, Ecuador, Colombia, Brazil, Argentina, Uruguay, "
            "Paraguay, Venezuela, Panamá and México on Monday.")
    assert pairs(text) == {("PER", c) for c in ("CHL", "BOL", "ECU", "COL", "BRA", "ARG", "URY", "PRY", "VEN",
                                                "PAN", "MEX")}


@pytest.mark.parametrize(("text", "expected"), [
    ("Signed by the governments of Spain, France, Italy and Greece, Monday's declaration also urges Ankara to "
     "withdraw its ships.", {("ESP", "TUR"), ("FRA", "TUR"), ("ITA", "TUR"), ("GRC", "TUR")}),
    ("A joint statement issued by Spain, France and Italy on Monday called on Turkey to withdraw its ships.",
     {("ESP", "TUR"), ("FRA", "TUR"), ("ITA", "TUR")}),
    ("The joint declaration of Spain and France urged Turkey on Monday to withdraw its ships.",
     {("ESP", "TUR"), ("FRA", "TUR")}),
    # An appeal is a protest only as a joint statement whose signatories are named.
    ("Spain urged Turkey on Monday to withdraw its ships, a statement said.", set()),
    ("The statement by the French minister called on Turkey to withdraw its ships.", set()),
    # The reply targets each signatory the text names.
    ("Venezuela on Tuesday rejected the joint statement issued by Chile, Peru and Colombia.",
     {("VEN", "CHL"), ("VEN", "PER"), ("VEN", "COL")}),
])
def test_a_joint_statement_is_one_incident_per_signatory(text, expected):
    assert pairs(text) == expected


def typed_pairs(text: str, event_type: str) -> set[tuple[str, str]]:
    return {(m.actor, m.target) for m in extract_mentions(text, published=PUB) if event_type in m.types}


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    ("On Tuesday, Peru summoned the ambassadors of Chile, Bolivia and Ecuador. "
     "It also delivered protest notes addressed to the foreign ministers of those countries.",
     "protest_note", {("PER", "CHL"), ("PER", "BOL"), ("PER", "ECU")}),
    ("Chile, Bolivia and Ecuador criticized Peru on Monday. "
     "Peru summoned the ambassadors of the aforementioned countries on Tuesday.",
     "summon", {("PER", "CHL"), ("PER", "BOL"), ("PER", "ECU")}),
])
def test_those_countries_are_the_list_just_named(text, event_type, expected):
    assert typed_pairs(text, event_type) == expected


def test_those_countries_do_not_reach_past_the_paragraph():
    text = ("On Tuesday, Peru summoned the ambassadors of Chile, Bolivia and Ecuador.\n\n"
            "The talks went on for hours.\n\nThe next day Peru sent protest notes to the envoys of those countries.")
    assert len(typed_pairs(text, "protest_note")) <= 1


@pytest.mark.parametrize(("text", "expected"), [
    ("The Turkish foreign ministry called the Greek decision regrettable on Monday.", {("TUR", "GRC")}),
    ("Japan said on Monday that the Chinese survey was unacceptable.", {("JPN", "CHN")}),
    ("Vietnam firmly opposes the Chinese drills, the ministry said on Monday.", {("VNM", "CHN")}),
    ("An Armenian diaspora organisation sent letters on Monday condemning the Turkish parliament's resolution.",
     {("NGO", "TUR")}),
    ("The Georgian parliament adopted a statement on Monday condemning the Russian decision.", {("GEO", "RUS")}),
    ("Norway on Wednesday rebuffed a Swedish parliament resolution on the fishing quotas.", {("NOR", "SWE")}),
    ("Norway raised its objection with Sweden over the quotas on Monday.", {("NOR", "SWE")}),
    ("The Norwegian foreign minister called the Swedish fishing deal illegal on Monday.", {("NOR", "SWE")}),
    ("Norway handed the Swedish ambassador a note of protest on Monday.", {("NOR", "SWE")}),  # receiver parsed as an object
    ("The Norwegian government voiced concern on Monday at Sweden's decision to close the border.", {("NOR", "SWE")}),
    ("Norway issued a sharp rebuke to Sweden over the quotas on Monday.", {("NOR", "SWE")}),
    # a feeling and the clause it takes: its subject did the act
    ("Norway expressed regret on Monday that the Swedish government had closed the border.", {("NOR", "SWE")}),
    ("The Norwegian ministry expresses disappointment in noting that Sweden is seeking to close the border.",
     {("NOR", "SWE")}),
    ("The Norwegian foreign ministry says it is disappointed and concerned that Sweden decided to close the border.",
     {("NOR", "SWE")}),
    # a wire's attribution names the speaker, not the state the text last named
    ("Ukraine condemned the Russian strikes on Monday. The Swedish decision on the quotas is unacceptable, "
     "the agency reported, citing the Norwegian foreign ministry.", {("UKR", "RUS"), ("NOR", "SWE")}),
])
def test_statements_without_a_protest_verb(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text", [
    "Oslo is preparing a protest note to Stockholm.",
    "A protest note would soon be handed to the Swedish envoy, Norway said.",
    "Norway threatened to summon the Swedish ambassador.",
    "Norway may summon the Swedish ambassador if the raids go on.",
    "Norway will summon the Swedish ambassador next week.",
    "Norwegian deputies urged the ministry to summon the Swedish ambassador.",
    "The minister said he saw no grounds for summoning the Swedish ambassador.",
    "The Norwegian ministry said on Monday it would summon the Swedish ambassador over the raids.",
    "Norway plans to lodge a protest with Sweden over the raids.",
    "Norway intends to hand the Swedish envoy a note of protest.",
    "The Swedish ambassador is to be summoned to the Norwegian foreign ministry.",
    "Norway is expected to summon the Swedish ambassador.",
    "Oslo will lodge a strong protest with Stockholm, the minister said.",
])
def test_planned_or_conditional_protests_are_not_incidents(text):
    assert pairs(text) == set()


def test_concern_raised_in_a_capital_by_a_thing_is_no_protest_raised_with_a_state():
    assert pairs("The new quotas raised concerns in Oslo about the Swedish fleet.") == set()
    assert pairs("Officials in Oslo are concerned that the talks with Sweden may fail.") == set()  # talks do nothing
    assert pairs("Norway raised serious concerns with Sweden about its fleet on Monday.") == {("NOR", "SWE")}


def test_a_protest_that_was_decided_is_one():
    assert pairs("Morocco decided on Thursday to recall its ambassador to Berlin for consultations over the remarks.") \
        == {("MAR", "DEU")}


def test_a_protest_something_prompted_was_made_by_the_one_prompted():
    assert pairs("Swedish trawlers entered the fjord on Friday, prompting Oslo to summon the Swedish ambassador.") \
        == {("NOR", "SWE")}
    assert pairs("The remarks prompted the Norwegian minister to summon the Swedish envoy on Friday.") == {("NOR", "SWE")}
    assert pairs("The remarks may prompt Oslo to summon the Swedish ambassador.") == set()
    assert pairs("The Norwegian ministry said it met Swedish diplomats on Monday to protest the Swedish raids.") == {("NOR", "SWE")}


@pytest.mark.parametrize("text", [
    # The state an act was done to is not its doer: nobody is named to protest against.
    "Serbia condemned the attempts to burn the Montenegrin flag on Monday.",
    "Russia condemned the attacks targeting Russian diplomats in Turkey on Monday.",
    "Greece said on Monday that all moves that threaten to wipe Albania off the map are unacceptable.",
])
def test_the_victim_of_a_condemned_act_is_not_the_target(text):
    assert pairs(text) == set()


def test_a_victim_is_not_taken_for_the_article_s_other_party():
    text = ("Hungary summoned the Serbian ambassador on Monday. "
            "\"The Republic of Serbia condemns the attempts aimed at burning the Hungarian flag,\" said the ambassador.")
    assert pairs(text) == {("HUN", "SRB")}


def test_a_by_phrase_inside_the_object_still_names_the_doer():
    assert pairs("Norway on Monday voiced its displeasure with the treaty on establishing trade relations signed by "
                 "Sweden.") == {("NOR", "SWE")}


def test_attacks_name_their_perpetrator_not_their_victim():
    assert pairs("Bahrain condemned the attack on the Saudi embassy on Monday.") == set()
    assert pairs("Estonia condemned Russia's attack on the Ukrainian port on Monday.") == {("EST", "RUS")}
    # A terrorist attack: the state named is where it struck, and condemning it is sympathy.
    assert pairs("Chile condemned the Peruvian terror attack on a market on Monday.") == set()
    assert pairs("Chile condemns Peruvian mosque terrorist attack") == set()
    # A violation of one state's sovereignty by another: the doer, whoever judges it.
    assert pairs("Chile summoned the Bolivian envoy on Monday.\nThe Council of Ministers condemned this "
                 "violation of Peruvian sovereignty by Bolivia on Monday.") == {("CHL", "BOL")}


@pytest.mark.parametrize(("text", "when"), [
    ("Norway summoned the Swedish ambassador last Friday.", "2020-11-20"),  # a week before a Friday's paper
    ("The Turkish foreign ministry called the Greek decision regrettable on Monday.", "2020-11-23"),  # the verb's date
    ("Norway summoned the Swedish ambassador on Monday over the raid on November 2.", "2020-11-23"),
    # The parser hangs "on Wednesday" on the verb, though the object comes between.
    ("Norway's foreign ministry condemned the Swedish speech on Wednesday.", "2020-11-25"),
    ("Norway condemned the speech on Wednesday, saying it insulted the Norwegian people, and blamed Sweden.",
     "2020-11-25"),
    # A date between the subject and its verb is the verb's, whatever noun comes before it.
    ("The Norwegian Council of Churches on Wednesday sharply criticised the Swedish government.", "2020-11-25"),
    # A possessive date belongs to its noun: the main incident then takes the news day.
    ("Norway summoned the Swedish ambassador over the drone strike that prompted Wednesday's border closure.",
     "2020-11-27"),
])
def test_dates_belong_to_the_verb_they_modify(text, when):
    (mention,) = extract_mentions(text, published=PUB)
    assert mention.date.iso() == when


@pytest.mark.parametrize(("text", "when"), [
    # The possessive date is the protest's own when its noun is the protest or its subject ...
    ("The Swedish navy seized three fishing boats on Monday.\n"
     "Signed by Norway, Denmark and Finland, Tuesday's joint statement also urges Sweden to release the crews.",
     "2020-11-24"),
    ("The Swedish navy seized three fishing boats on Monday.\nWednesday's statement by Norway condemned Sweden "
     "for the seizure.", "2020-11-25"),
    # ... and the thing protested's when its noun is what the protest is about.
    ("The Swedish navy seized three fishing boats on Monday.\nNorway condemned Wednesday's Swedish raid on its "
     "consulate.", "2020-11-27"),
])
def test_a_possessive_date_on_the_protest_itself_dates_it(text, when):
    assert {m.date.iso() for m in extract_mentions(text, published=PUB)} == {when}


@pytest.mark.parametrize(("text", "background"), [
    ("Norway earlier summoned the Swedish ambassador over the raids.", True),
    ("Norway had summoned the Swedish ambassador over the raids.", True),
    # The pluperfect of another clause, or one that reported speech shifts back, is not background.
    ("Finland confirmed it had expelled a Swedish diplomat, while Norway summoned the Swedish ambassador.", False),
    ("Norway said it had summoned the Swedish ambassador over the raids.", False),
    ("The Norwegian minister mentioned that he had summoned the Swedish ambassador over the raids.", False),
])
def test_background_is_the_trigger_verbs_own_tense(text, background):
    (mention,) = extract_mentions(text, published=PUB)
    assert mention.reported_only is background


def test_the_parser_model_is_the_one_the_roles_were_written_for():
    model.verify_model()  # raises ModelMismatch on any other file
    root = model.model_path()
    for name, expected in model.MODEL_SHA256.items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == expected
    nlp = model.load_parser()
    assert "parser" in nlp.pipe_names and "ner" not in nlp.pipe_names
    assert model.load_parser() is nlp  # loaded once per process


def test_a_changed_model_file_is_refused(monkeypatch):
    monkeypatch.setitem(model.MODEL_SHA256, "parser/model", "0" * 64)
    with pytest.raises(model.ModelMismatch):
        model.verify_model()


@pytest.mark.parametrize("text", [
    # A recall, an expulsion or a break of ties is not itself a statement (docs/annotation.md).
    "Peru recalled its ambassador to Chile on Monday and expelled the Chilean consul.",
    "Norway expelled a Swedish diplomat on Monday in protest at the raid on its embassy.",
    "Bolivia broke off relations with Chile in 1978, in protest against Chile's position at the talks.",
    # Street protests against a state are no state's statement.
    "The Peruvian leader was ousted in May after mass protests against Chile's border policy.",
])
def test_acts_done_in_protest_are_not_statements(text):
    assert pairs(text) == set()


def test_a_note_lodged_in_protest_keeps_its_pair():
    assert pairs("Greece lodged a demarche with Turkey on Tuesday in protest at the planned survey.") == {("GRC", "TUR")}


def test_a_relative_pronoun_is_judged_as_its_antecedent():
    # "which it called an unacceptable ...": the words judged are the Peruvian minister's,
    # and the state whose affairs were meddled in is the one that protests.
    text = ("The Chilean ministry issued a statement on Monday about the Peruvian minister's remarks, "
            "which it called \"unacceptable meddling\" in Chilean affairs.")
    assert pairs(text) == {("CHL", "PER")}
    text = ("The Chilean ministry reacted on Monday to the Peruvian minister's remarks, "
            "which it called unacceptable interference in Chilean affairs.")
    assert pairs(text) == {("CHL", "PER")}


@pytest.mark.parametrize(("text", "expected"), [
    # A verdict word after "called" (the parser may take "the report rubbish" as one phrase).
    ("The Peruvian president on Monday called the Chilean report rubbish.", {("PER", "CHL")}),
    ("The Peruvian minister on Monday described the Bolivian accusations as baseless.", {("PER", "BOL")}),
    # "called on" asks for something: no verdict, whatever words follow.
    ("Chile called on Peru on Monday to end the provocations at the border.", set()),
    ("Peru's foreign ministry unreservedly rejects the reference to a border dispute in the Chilean president's speech.",
     {("PER", "CHL")}),
    ("Peru strongly reiterated its rejection of the Chilean claims on Monday.", {("PER", "CHL")}),
    # a quoted verdict before the thing rejected; referendums and memoranda are rejected things
    ("Peru on Sunday utterly rejected the \"invalid\" memo inked between Chile and Bolivia.", {("PER", "CHL"), ("PER", "BOL")}),
    ("Peru rejects Chile's sham referendums in the occupied province, the minister said on Monday.", {("PER", "CHL")}),
    # "it is unacceptable that X accuses Y": the that-clause is judged, and its accusation is what is protested
    ("Peru summoned the Chilean ambassador on Monday. It is unacceptable that the Chilean side, which arms Bolivia, "
     "accuses Peru of aggressive rhetoric, the spokesman said.", {("PER", "CHL")}),
])
def test_verdicts_rejections_and_reiterations(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(("headline", "expected"), [
    # The model reads a headline's "summons" as a noun and "Malawi" as its modifier.
    ("Malawi summons Zambia envoy as border protests grow", {("MWI", "ZMB")}),
    ("Border Protests Grow As Malawi Summons Zambia Envoy", {("MWI", "ZMB")}),
    # Title case, with the outlet after a dash or a bar.
    ("Malawi Summons Zambian Envoy Over Border Closure - The Daily Times", {("MWI", "ZMB")}),
    ("Bolivia slams Paraguay over river dam | Evening Post", {("BOL", "PRY")}),
    ("Bolivia Lodges Protest With Paraguay Over River Dam", {("BOL", "PRY")}),
    # In capitals: the names are found and the verb read all the same.
    ("MALAWI SUMMONS ZAMBIAN ENVOY OVER BORDER CLOSURE", {("MWI", "ZMB")}),
    # A passive without its auxiliary: the capital where the envoy was summoned protests.
    ("Zambian Envoy Summoned In Lilongwe Over Border Closure", {("MWI", "ZMB")}),
    ("Bolivia Protests Paraguay's River Dam Plan", {("BOL", "PRY")}),
    # Two states trading barbs protest to each other.
    ("Bolivia, Paraguay Trade Barbs Over River Dam", {("BOL", "PRY"), ("PRY", "BOL")}),
    # A plan is no summons.
    ("Malawi to summon Zambian envoy over border closure", set()),
])
def test_a_headline_is_read_as_the_sentence_it_abbreviates(headline, expected):
    assert pairs(headline + "\nMore details will follow.") == expected


def test_headline_prose_keeps_names_and_puts_the_verb_in_the_past():
    doc = model.load_parser().make_doc("MALAWI, ZAMBIA TRADE BARBS")
    assert model.as_prose(doc, [(0, 6), (8, 14)]) == ["Malawi", "and", "Zambia", "traded", "barbs"]
    doc = model.load_parser().make_doc("Road Protests Grow As Malawi Summons UK Envoy")
    assert model.as_prose(doc, [(22, 28), (37, 39)]) == ["Road", "protests", "grow", "as", "Malawi", "summoned", "UK", "envoy"]


def test_a_guessed_actor_is_never_the_state_its_protest_names():
    # The last actor named (Kenya) is the one the bare "foreign ministry" protests against.
    text = ("KAMPALA, Nov 24 - Kenya's president criticised Uganda's new border tax on Monday.\n"
            "The foreign ministry on Tuesday condemned the Kenyan remarks as interference in Ugandan affairs.")
    assert pairs(text) == {("KEN", "UGA"), ("UGA", "KEN")}


def test_the_post_of_a_summoned_envoy_hung_on_the_verb_names_the_summoner():
    # The parser hangs "to Vietnam" on "summoned": the envoy's host summoned him.
    assert pairs("The foreign ministry summoned Chinese Ambassador to Vietnam Li Wei on Monday.") == {("VNM", "CHN")}
    assert pairs("The ministry summoned Russian Ambassador to Estonia Pavel Ivanov over the airspace violation.") \
        == {("EST", "RUS")}


def test_an_envoy_summoned_for_consultations_is_recalled_not_summoned():
    assert pairs("He summoned the Brazilian ambassador in Tel Aviv for consultations on Monday.") == set()


def test_a_role_guessed_from_context_is_less_sure_than_one_the_grammar_gives():
    found = extract_mentions("Kenya summoned the Ugandan envoy on Monday. The ministry also summoned the Tanzanian envoy.",
                             published=PUB)
    by_target = {m.target: m for m in found}
    assert by_target["UGA"].rule.endswith("/subject") and by_target["TZA"].rule.endswith("/context")
    assert by_target["TZA"].confidence < by_target["UGA"].confidence
    # A passive condemnation: by whom, said or guessed.
    said, = extract_mentions("KAMPALA, Nov 24 - Kenya's border tax was condemned by Uganda on Monday.", published=PUB)
    guessed, = extract_mentions("KAMPALA, Nov 24 - Kenya's border tax was condemned on Monday.", published=PUB)
    assert (said.actor, guessed.actor) == ("UGA", "UGA") and guessed.confidence < said.confidence


def test_the_home_state_is_the_titles_protester_not_its_first_state():
    def found(text, title):
        return {(m.actor, m.target) for m in extract_mentions(text, published=PUB, title=title)}
    # The title's protester, read from its grammar (a headline's passive without "was").
    assert found("The foreign ministry on Monday summoned the Ugandan envoy over the tax.",
                 "Uganda's Tax Plan Condemned By Kenya") == {("KEN", "UGA")}
    # A summoned envoy's state opens the title; the dateline tells whose ministry summoned him.
    assert found("LILONGWE, Nov 24 - The foreign ministry on Monday summoned the envoy of Zambia over the remarks.",
                 "Zambian envoy summoned by foreign ministry") == {("MWI", "ZMB")}
    # A "Foreign Office" several states have says nothing of whose: the place of its spokesman's briefing does.
    assert found("Foreign Office on Thursday firmly rejected assertions made by the Indian minister about the border. "
                 "At his weekly news briefing in Islamabad, the Foreign Office spokesperson called them misleading.",
                 None) == {("PAK", "IND")}


def test_a_state_the_title_protests_against_is_not_the_home_state():
    def found(text, title):
        return {(m.actor, m.target) for m in extract_mentions(text, published=PUB, title=title)}
    # The title names only the protested state: the unnamed ministry is the other state's.
    text = ("The foreign ministry on Monday denounced the Kenyan shelling of the border posts. "
            "Uganda has twice asked for talks on the border, while Kenya says the posts are its own. "
            "Uganda's army is on alert.")
    assert found(text, "Foreign Ministry denounces Kenyan shelling") == {("UGA", "KEN")}
    # A state whose embassy was attacked is no protested state: the article speaks for it.
    text = "Bolivia and Chile condemned the raid. Bolivia's president wrote that Bolivia stands with Lima."
    assert build_article(text, PUB, "Neighbours condemn raid on Peruvian embassy", None).home == "PER"
    # A state that recalls its envoy opens the title as the speaker, not as an envoy's state.
    assert build_article("The ministry wrote to Israel.", PUB, "Egypt recalls envoy to Israel after strike", None).home == "EGY"
    # The ministry a protest is lodged with is the protested state's, not the article's.
    text = "Manila lodged a protest with the Chinese foreign ministry on Monday. The Philippines wants talks."
    assert build_article(text, PUB, None, None).home == "PHL"


def test_no_state_is_guessed_for_many_ministries():
    # (the dateline's state is no more likely than any other)
    assert pairs("LONDON, Nov 24 - Russian envoys were summoned to several foreign ministries on Monday.") == set()


@pytest.mark.parametrize(("text", "expected"), [
    # Title, nationality and name once; later the surname alone speaks for the state.
    ("Peruvian Foreign Minister Ana Vellaro met reporters in Lima on Monday. "
     "Vellaro condemned the Chilean decision on Monday.", {("PER", "CHL")}),
    # A name in apposition: "<name>, the <adjective> <office>,".
    ("Tomas Brenner, the Chilean foreign minister, spoke in Santiago on Tuesday. "
     "Brenner condemned Bolivia's decision to close the border on Tuesday.", {("CHL", "BOL")}),
    # "<office> <name> of <state>".
    ("President Ilse Maren of Peru opened the session on Monday. "
     "Maren accused Bolivia of meddling in the election on Monday.", {("PER", "BOL")}),
    # The person's state is also the target of a protest against his words.
    ("Peruvian Foreign Minister Ana Vellaro spoke on Sunday. "
     "The Bolivian foreign ministry on Monday condemned Vellaro's remarks.", {("BOL", "PER")}),
    # "FM", "PM": the abbreviated offices.
    ("Venezuelan FM Delcy Ravel spoke on Monday. Ravel condemned the Chilean decision on Monday.", {("VEN", "CHL")}),
    # An ambassador stands for the state that sends him.
    ("Bolivia's ambassador, Jorge Quillen, arrived in Lima last week. Peru summoned Quillen on Tuesday.",
     {("PER", "BOL")}),
])
def test_officials_named_by_office_then_by_surname(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text", [
    # A minister criticising his own government protests against no foreign state.
    "Chilean Interior Minister Rosa Tellan spoke on Monday. Tellan condemned the Chilean government's decision.",
    # A former president speaks for no state.
    "Former Peruvian President Ilse Maren spoke on Monday. Maren condemned the Bolivian decision on Monday.",
    # Two officials share the surname: it names neither.
    "Peruvian President Ilse Maren and Chilean Foreign Minister Tomas Maren met on Monday. "
    "Maren condemned the Bolivian decision on Monday.",
])
def test_surnames_that_name_no_state(text):
    assert pairs(text) == set()


def test_whoever_is_learned_comes_from_the_text_alone():
    from pipeline.gazetteer import load_gazetteer
    from pipeline.gazetteer.people import learn

    def learned(text):
        return learn(text, load_gazetteer().find(text))
    assert learned("Kenyan Minister of Foreign Affairs Joan Mwendo Atieno said so.") == {
        "Joan Mwendo Atieno": ("KEN", "minister")}
    assert learned("The spokesman for the Ghanaian government, Kofi Danso, spoke.") == {"Kofi Danso": ("GHA", "spokesman")}
    assert learned("Pita Rangi, the Foreign Minister of Fiji, spoke.") == {"Pita Rangi": ("FJI", "foreign minister")}
    # After the comma it is the speaker, not the ambassador's name; nor is a place's neighbour an official.
    assert learned("Peru has summoned the Chilean ambassador, Vellaro said on Monday.") == {}
    assert learned("He was sentenced in Chile, Foreign Minister Ana Vellaro said.") == {}
    # A name stops at the next line and before a word that is not a name.
    assert learned("Mexico summoned the Peruvian ambassador\nPeruvian President Ilse Maren On Monday") == {
        "Ilse Maren": ("PER", "president")}


@pytest.mark.parametrize(("text", "expected"), [
    # A group's criticism of its own country's authorities is domestic, not a protest against a state ...
    ("A Peruvian human rights group denounced on Friday the arrest of a journalist by the Peruvian police.", set()),
    ("Peruvian NGOs condemned the Peruvian government's decision on Friday.", set()),
    # ... but a diaspora or a foreign group protesting to its host or to another state is (actor NGO).
    ("The Bolivian community of Chile condemned the Chilean government's decision on Friday.", {("NGO", "CHL")}),
    ("A Peruvian human rights group denounced on Friday the arrest of a journalist by the Chilean police.",
     {("NGO", "CHL")}),
])
def test_a_group_criticising_its_own_state_is_domestic(text, expected):
    assert pairs(text) == expected


def test_a_note_that_reached_a_government_was_addressed_to_it():
    text = "Bolivia summoned the Peruvian envoy on Friday. Three Peruvian letters of protest reached the Chilean government."
    assert pairs(text) == {("BOL", "PER"), ("PER", "CHL")}


def test_a_rejected_note_was_received_by_who_rejected_it():
    assert pairs("Serbia rejected Croatia's protest note on Monday.") == {("HRV", "SRB")}


@pytest.mark.parametrize(("text", "expected"), [
    # The gazetteer's "Foreign Office" is Britain's only where the text places it nowhere else.
    ("It is the third time this month that the Afghan envoy has been summoned to the Foreign Office in Tehran.",
     {("IRN", "AFG")}),
    ("The Kenyan Foreign Office summoned the Ghanaian envoy on Monday.", {("KEN", "GHA")}),
    ("The Foreign Office summoned the Iranian ambassador on Monday.", {("GBR", "IRN")}),
    # ... nor is a bare "Foreign Office" the summons goes to the host of anyone
    ("Zambia summoned the Zimbabwean envoy Moyo on Monday. Following the talks, the Zambians reacted by "
     "summoning our Ambassador, Ambassador Moyo, to the Foreign Office.", {("ZMB", "ZWE")}),
    # A translation that turns the summons round: the ambassador is still the one summoned.
    ("On 3 May, the Polish foreign ministry was invited by the new Ambassador of Slovakia in Poland, "
     "to whom a strong protest was expressed.", {("POL", "SVK")}),
    # "The ambassador" summoned is the envoy named before with his state, though no trigger named him.
    ("Latvia's deputy minister met the Belarusian Ambassador to Latvia Ivan Orlov on Monday.\n"
     "The ambassador was summoned to the ministry after a Belarusian drone crashed near Daugavpils.",
     {("LVA", "BLR")}),
    # ... "an ambassador" is no one named before: here Finland's own
    ("The Belarusian Ambassador to Latvia Ivan Orlov spoke on Monday.\n"
     "While summoning an ambassador to Helsinki, Finland urged the EU to meet.", set()),
    # An envoy invited to do something is a guest, not summoned.
    ("Peru welcomed the new Chilean ambassador on Monday.\n"
     "The Ambassador was invited to inspect the guard of honour at Government House in Lima.", set()),
])
def test_who_summoned_whom_when_the_words_mislead(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A party's spokesman is one member speaking, neither the state nor the party's statement.
    ("Turkey summoned the Danish envoy on Monday. Ali Demir, spokesman for Turkey's ruling Justice Party, "
     "also condemned the decision by Denmark to allow the rally.", {("TUR", "DNK")}),
    ("Turkey summoned the Danish envoy on Monday. The party's spokesman also condemned the decision by Denmark "
     "to allow the rally.", {("TUR", "DNK")}),
    # An envoy's own remarks, which his host then protests, are not his state's statement.
    ("Peru summoned US Ambassador John Clark on Wednesday. Speaking in Lima on Tuesday, Clark accused the "
     "Peruvian government of racial discrimination.", {("PER", "USA")}),
    # ... nor is what he (or she) posts just after the text names him.
    ("Peruvian Ambassador Ana Rojas also voiced Peru's worry on Monday. “Peru strongly opposes Bolivia's aggressive "
     "actions on the lake,” she wrote on X.", set()),
    ("Peruvian Foreign Minister Ana Rojas also voiced Peru's worry on Monday. “Peru strongly opposes Bolivia's "
     "aggressive actions on the lake,” she wrote on X.", {("PER", "BOL")}),
    # What the summons answers, told as its cause or as hearsay, is not a protest of its own.
    ("Ghana summoned Togo's ambassador on Monday after Togolese President Faure Kodjo criticized Ghana for "
     "closing the border.", {("GHA", "TGO")}),
    ("Ghana summoned Togo's ambassador in protest, the foreign ministry said Wednesday, after Togolese President "
     "Faure Kodjo criticized Ghana for closing the border.", {("GHA", "TGO")}),
    ("Ghana summoned Togo's charge d'affaires on Monday. The Togolese foreign ministry spokesman had reportedly "
     "criticised Ghana's stance on the border.", {("GHA", "TGO")}),
    # A people is not its state.
    ("Latvia protested on Monday. The group speaks for those Estonian-speaking Latvians who oppose Tallinn's "
     "policy towards the Baltic states.", set()),
    ("Latvia protested on Monday. Many Latvians condemned Russia's decision on Monday.", set()),
    # A crime under one's own law is no other state's wrong; an order to protest is not yet a protest.
    ("Mr Somchai spoke in Bangkok about the fence that Laotian farmers removed. "
     "Such conduct is unacceptable under Thai law, he said.", set()),
    ("Latvia summoned the Estonian envoy on Monday. The Latvian premier said he had ordered the foreign ministry "
     "to lodge a formal protest with Estonia.", {("LVA", "EST")}),
    # A note being prepared is planned, not handed.
    ("Latvia summoned the Estonian envoy on Monday. The Latvian minister said that a protest note is being "
     "prepared for Estonia over the drones.", {("LVA", "EST")}),
    # "accused her": her is the premier, not the envoy last named; a party is no state after it.
    ("Thailand summoned the Cambodian ambassador on Monday. The premier lost a coalition partner who accused "
     "her of insulting the army in a call with Cambodian leader Hun Sen. The Laotian ambassador was also "
     "summoned.", {("THA", "KHM"), ("THA", "LAO")}),
    # a government that summons opposition leaders summons no envoy
    ("On Tuesday the Chilean president summoned two Peruvian opposition leaders over their remarks.", set()),
    # a person a nationality names is no state: "a French researcher", "a Peruvian journalist"
    ("When a Chilean researcher criticized the Peruvian embassy's letter on Monday, the embassy called him a thug.",
     set()),
])
def test_words_that_are_not_a_states_protest(text, expected):
    assert {(a, t) for a, t in pairs(text)} == expected


def test_a_dateline_of_two_places_and_an_agency_is_not_the_subject():
    from pipeline.extraction.extractor import _DATELINE
    assert _DATELINE.match("Lima/Santiago, Feb 6 (ABC) Peru's government lodged").group() == "Lima/Santiago, Feb 6 (ABC) "
    assert _DATELINE.match("Peru (which is big) summoned the envoy").group() == ""
    # "Brussels, MINA – Belgium summoned": a place and its agency ("Brussels" is not the EU speaking)
    assert _DATELINE.match("Brussels, PNA – Portugal summoned the envoy").group() == "Brussels, PNA – "
    assert pairs("Brussels, PNA – Portugal summoned the Moroccan ambassador on Monday.") == {("PRT", "MAR")}
    assert _DATELINE.match("Portugal, Spain and Italy – all three summoned").group() == ""


@pytest.mark.parametrize(("text", "story"), [
    ("April 14, 2006 (LIMA) — The Peruvian foreign ministry", "The Peruvian"),
    ("SANTIAGO (Wire News / Desk - 18th August, 2022) The Chilean ministry", "The Chilean"),
    ("LIMA, Peru (AP) — Peru has recalled", "Peru has"),
    ("Lima, 6 July 2022 (PNA): The ministry", "The ministry"),
    ("(MENAFN- Andes Agency (ANA)) LIMA, March 22 (ANA) -- The ministry", "The ministry"),
    # ... not a name with its party's initials, a gloss, or prose with a dash
    ("Juan Soto, spokesman for Peru's Popular Action (AP) Party, also condemned", "Juan Soto"),
    ("The UAE (United Arab Emirates) Foreign Ministry condemned", "The UAE"),
    ("NATO said on Monday that Russia - the aggressor - had", "NATO"),
    # a headline in capitals has no dash: nothing to cut (and, read word by word, no long search)
    ("ENVOYS PRESENT CREDENTIALS TO PRESIDENT HAKAINDE HICHILEMA AT STATE HOUSE IN LUSAKA ON MONDAY",
     "ENVOYS PRESENT"),
])
def test_other_wires_datelines_are_no_part_of_the_grammar(text, story):
    from pipeline.extraction.extractor import _WIRE_DATELINE
    found = _WIRE_DATELINE.match(text)
    assert text[found.end() if found else 0:].startswith(story)


def test_whoever_is_warned_is_not_the_speaker():
    text = ("Portugal summoned the Moroccan ambassador on Monday.\nThe minister said he had summoned the Moroccan ambassador, "
            "who had previously been warned that \"it is absolutely unacceptable for our fishermen to be treated as smugglers,\" "
            "to demand an explanation for Morocco's actions.")
    assert ("MAR", "PRT") not in pairs(text)


def test_the_other_party_of_a_protest_about_it_may_be_a_paragraph_back():
    text = ("Nepal released a new map on Monday. The map shows three disputed villages. The villages lie near "
            "the border. Officials in the capital praised the map. Crowds gathered in the squares. "
            "\"We object to it,\" India's foreign ministry spokesman said on Tuesday.")
    assert pairs(text) == {("IND", "NPL")}


def test_an_envoy_named_without_his_state_is_the_one_the_article_named_before():
    text = ("Peru's ambassador in Quito gave an interview on Monday. The ambassador, Jorge Almagro, said the "
            "border talks with Bolivia had failed. Ecuador's foreign ministry summoned Almagro on Tuesday.")
    assert pairs(text) == {("ECU", "PER")}


def test_a_date_in_a_clause_on_the_thing_protested_is_not_the_protests():
    text = "Norway condemned the Swedish statement, which in March 2015 had called the disputed waters Swedish."
    (mention,) = extract_mentions(text, published=PUB)
    assert (mention.date.iso(), mention.reported_only) == ("2020-11-27", False)
    # A clause on the subject dates the protester's act: the protest's own date.
    text = "Norway's foreign minister, speaking in Oslo on Wednesday, condemned the Swedish statement."
    (mention,) = extract_mentions(text, published=PUB)
    assert mention.date.iso() == "2020-11-25"


@pytest.mark.parametrize("text", [
    # International bodies and "the international community" are neither states nor NGOs.
    "The international community strongly condemned Peru's decision on Monday.",
    "The African Union observer mission condemned the Chilean government's decision on Monday.",
    "The UN Secretary-General condemned Bolivia's decision to close the border on Tuesday.",
    # "Several EU countries", "the EU member states": the members, not the Union, and unnamed.
    "Several EU countries summoned the Peruvian ambassadors on Monday.",
    "The EU member states condemned the Chilean strikes on Monday.",
])
def test_bodies_that_speak_for_no_state(text):
    assert pairs(text) == set()


@pytest.mark.parametrize("text", [
    # A state calling its own envoy home is a recall, not a summons of a foreign diplomat.
    "Bogota on Friday summoned its ambassador to Venezuela Ana Ruiz after Venezuelan Labour Minister Luis Paez "
    "insulted Colombian President Ivan Duque.",
    # An ambassador's own words are not his state's statement (the guideline), nor are quoted ones.
    "The Chilean ambassador to Peru criticized Bolivia's decision on Monday.",
    "'We condemn Bolivia's decision,' the Chilean ambassador said on Monday.",
    # A passive accusation without its "by": nobody we can name accuses.
    "Peru's foreign minister spoke on Monday. Bolivia and Ecuador have been accused of meddling in the Peruvian election.",
    # People are not their state: a plural nationality, protesters (also as "they").
    "Peruvians who strongly reject the Chilean claims marched in Lima on Monday.",
    "The protesters rallied outside the old Chilean embassy in Lima, during which they condemned the killing of "
    "Peruvians by Chilean troops.",
    # "blasts" is a noun here: a verb-only trigger read as a noun is no statement.
    "The Chilean navy fired three short blasts at the Peruvian boat on Monday.",
    # What a state used to do is a habit, not an incident.
    "The Peruvian government used to be opposed to Chile's claims, the minister said.",
    # A post in a named body that is no state organ: the body speaks, not the article's state.
    'Chile protested on Monday. "We condemn these arrests by the Peruvian police," said Ana Diaz, spokeswoman for '
    'Amnesty International.',
    'Chile protested on Monday. "We condemn these arrests by the Peruvian police," said Ana Diaz, the head of RSF\'s '
    'Americas desk.',
    'Chile protested on Monday. "We condemn the Peruvian raid," said Juan Perez, spokesman for the UN Secretary-General.',
])
def test_speakers_that_are_not_a_state_protesting(text):
    assert pairs(text) == set()


def test_a_spokeswoman_for_the_ministry_speaks_for_its_state():
    text = ('Chile protested on Monday. "We condemn these arrests by the Peruvian police," said Ana Diaz, '
            'spokeswoman for the Foreign Ministry.')
    assert pairs(text) == {("CHL", "PER")}


@pytest.mark.parametrize(("text", "expected"), [
    # A vetoed text condemned nothing for the state that vetoed it; an adopted one did.
    ("Chile on Monday vetoed a resolution condemning the Peruvian invasion of Bolivia.", set()),
    ("Peru on Monday adopted a resolution condemning the Chilean invasion of Bolivia.", {("PER", "CHL")}),
    # A draft "aimed at condemning" is a purpose, not a condemnation.
    ("The Council voted on a Chilean draft, which was aimed at condemning Peru's annexation of the islands.", set()),
    # The speaker quotes what a declaration would do; he criticises nobody.
    ("Peru's foreign minister said Lima would reject any declaration that criticises the Peruvian operation in Bolivia.",
     set()),
    # "The resolution condemns ...": the resolution the article's protest answers, by the protested state;
    # one whose adjective names an author without a state code ("the Andean resolution") is nobody's we know.
    ("Bolivia summoned the Chilean ambassador on Monday over a resolution of the Chilean senate. The resolution, "
     "adopted on Friday, condemns Bolivian border policy.", {("BOL", "CHL"), ("CHL", "BOL")}),
    ("Bolivia summoned the Chilean ambassador on Monday over a resolution of the Chilean senate. The Andean "
     "resolution, adopted on Friday, condemns Bolivian border policy.", {("BOL", "CHL")}),
    # Fire "by rebels into X" hit X; the rebels are no state. Fire "from" a state's own forces is its.
    ("Peru condemned the rocket fire by rebels into northern Chile on Monday.", set()),
    ('"We condemn the mortar fire from the hills by militants into eastern Peru," the Chilean minister said.', set()),
    ("Peru condemned the Chilean rocket fire into its territory on Monday.", {("PER", "CHL")}),
    # ... and a state that backs the group is named as a culprit.
    ("Peru accused the rebels backed by Chile of attacking the border post on Monday.", {("PER", "CHL")}),
])
def test_texts_that_condemn_for_nobody(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The state whose sovereignty or airspace was violated is the victim, not the target.
    ("Peru's foreign ministry said on Monday that this violation of Bolivia's airspace was completely unacceptable.",
     set()),
    # ... and a verdict on "this violation" then points back to the article's protest, not reversed.
    ('LIMA: Peru strongly condemns the violation of its airspace by Chile, the foreign ministry said on Monday. '
     'In a statement, the foreign ministry said, "This violation of Peru\'s sovereignty is completely unacceptable."',
     {("PER", "CHL")}),
])
def test_the_victim_of_a_violation_is_not_its_target(text, expected):
    assert pairs(text) == expected


def test_a_verdict_whose_both_roles_are_guessed_only_adds_a_type():
    # "we think it is regrettable" by an unnamed official: who judges and what is judged are
    # both guesses; alone in the text, no incident.
    assert pairs('LIMA, March 3 -- The Chilean authorities announced on Thursday that they would close the border. '
                 '"There was an abrupt announcement on that measure yesterday, and we think it is regrettable," '
                 'a senior official told reporters on Friday.') == set()


def test_an_outlet_named_after_a_state_is_not_the_state():
    from pipeline.gazetteer import load_gazetteer
    found = load_gazetteer().find("Japan Today and the Kuwait Times report that Japan protested (Peru Point News).")
    assert [(e.code, e.start) for e in found] == [("JPN", 45)]
    # ... nor a cape, mountain, lake or fort
    found = load_gazetteer().find("A mile off cape Lima, near Mount Santiago, Chile protested.")
    assert [e.code for e in found] == ["CHL"]


def test_a_guessed_verdict_joins_its_pair_incident_and_date():
    text = ("Chile's decision on Tuesday to close the border was deeply regrettable, Peru's Foreign Minister Ana Vellaro "
            "said on Wednesday. \"It's deeply regrettable that they took such a step,\" Vellaro told a news briefing, "
            "after Tuesday's closure.")
    found = {(m.actor, m.target, m.date.iso()) for m in extract_mentions(text, published=PUB)}
    assert found == {("PER", "CHL", "2020-11-25")}


def test_a_dateline_before_the_subject_is_not_the_subject():
    # The parser reads the bracketed dateline as a second subject of the verb.
    for text in ("(NEWS RELEASE VIA WIRE) – President Ana Lopes of Portugal condemned Angola’s seizure of the "
                 "fishing boats in a statement on Monday.",
                 "(PRESS RELEASE) – Prime Minister Marta Silva of Portugal condemned Angola’s diplomatic and military "
                 "coercion in a statement on the closure of the consulate on 2 March 2019."):
        assert pairs(text) == {("PRT", "AGO")}


def test_a_joint_statement_by_a_counted_group_is_each_listed_signatory_s():
    # The authors are counted in the rebuke and listed only further on, in a sentence of their own.
    text = ("Bolivia's foreign minister on Tuesday hit back at a joint statement issued by four South American "
            "governments on Monday. Signed by Chile, Peru, Ecuador and Paraguay, the statement urges La Paz to free "
            "the detained opposition leaders.")
    found = {(a, t) for a, t in pairs(text) if a == "BOL"}
    assert found == {("BOL", "CHL"), ("BOL", "PER"), ("BOL", "ECU"), ("BOL", "PRY")}
    # Three or more counted states are never read off a sentence naming a different number of them.
    other = ("Bolivia's foreign minister on Tuesday hit back at a joint statement issued by four South American "
             "governments on Monday. Chile and Peru held talks on trade.")
    assert {(a, t) for a, t in pairs(other) if a == "BOL"} == set()


def test_a_counted_group_listed_in_a_dash_apposition_is_each_listed_state():
    text = ("On Monday the foreign minister of Georgia summoned the envoys of four states that backed the motion "
            "- Armenia, Belarus, Serbia and Hungary - who were told the vote was unacceptable.")
    assert {(a, t) for a, t in pairs(text)} == {("GEO", "ARM"), ("GEO", "BLR"), ("GEO", "SRB"), ("GEO", "HUN")}


def mentions_of(text: str) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(m.actor, m.target, m.types) for m in extract_mentions(text, published=PUB)}


def test_a_note_names_its_receiver_by_grammar_not_by_guess():
    # A protest "through diplomatic channels over" another state's act: that state receives it
    # (the parser hangs "over" on the channels).
    assert pairs("Norway has lodged a protest through diplomatic channels over an apparent Russian survey "
                 "in Norway's waters, the minister said on Friday.") == {("NOR", "RUS")}
    # Handed a note at a ministry: that ministry's state gives it (not the dateline's).
    assert pairs("DODOMA, Nov 27 - The Kenyan ambassador was earlier handed a note of protest at the "
                 "Ugandan foreign ministry over the remarks.") == {("UGA", "KEN")}
    # "summoned the envoy to receive a note": the envoy receives it, not the summoning state.
    assert mentions_of("The Thai foreign ministry summoned the Cambodian ambassador on Friday to receive a letter "
                       "of protest.") == {("THA", "KHM", ("summon", "protest_note"))}


def test_an_envoy_called_in_by_an_unnamed_ministry_of_his_own_home_state_is_the_other_partys():
    # The state named most often is the envoy's: the ministry is the next state's most named.
    text = ("The ambassador of Serbia was summoned to the foreign ministry on Friday over the attack on "
            "Montenegro's embassy in Belgrade. Serbia's president called the attackers hooligans, and "
            "Serbia's police arrested two men. Montenegro's embassy reopened on Saturday.")
    assert pairs(text) == {("MNE", "SRB")}


def test_the_home_state_is_the_first_protesters_when_no_dateline_or_title_tells_it():
    from pipeline.extraction.extractor import _finish, _parse_all, _pending

    def home(text: str, title: str | None = None) -> str | None:
        pending = _pending(text, PUB, title, None)
        _parse_all([pending])
        _finish(pending)
        return pending.article.home

    text = ("Nepal's foreign minister summoned India's ambassador on Friday over the road. India says the road "
            "lies in India, and India's army built it. India opened it last week.")
    assert home(text) == "NPL"  # not India, the state named most often
    # An envoy who rejects the note speaks for no home; a dateline outranks the protester.
    assert home("India's ambassador rejected the protest note of Nepal. " + text) == "NPL"
    assert home("PARIS, Nov 27 - " + text) == "FRA"


def test_a_note_handed_at_a_summons_is_one_incident_with_it():
    # The note's receiver is guessed (the envoy's state), and is the summons' own: both types.
    (actor, target, types), = mentions_of(
        "On Friday, the Ministry of Foreign Affairs of Estonia summoned a representative of the Embassy of "
        "Latvia and handed a diplomatic note expressing its protest over the border incident.")
    assert (actor, target) == ("EST", "LVA") and {"summon", "protest_note"} <= set(types)
    # A note the envoy was summoned to be handed is handed at the summons, not only planned.
    assert mentions_of("The Estonian foreign ministry summoned the Latvian ambassador on Friday to lodge a "
                       "protest over the remarks.") == {("EST", "LVA", ("summon", "protest_note"))}
    assert mentions_of("The Estonian foreign ministry summoned the Latvian ambassador on Friday and lodged a "
                       "protest over the remarks.") == {("EST", "LVA", ("summon", "protest_note"))}
    # The summons' own reality decides: one that may happen hands nothing yet.
    assert mentions_of("The Estonian foreign ministry may summon the Latvian ambassador to lodge a "
                       "protest over the remarks.") == set()


def test_japans_chief_cabinet_secretary_speaks_for_japan():
    assert pairs("The government lodged a protest with China over the survey ships, Chief Cabinet Secretary "
                 "Ken Oda said on Friday.") == {("JPN", "CHN")}


def test_a_refused_note_was_handed_over():
    # The envoy who refuses (to accept) a note was handed it; a state that refuses to send one sent none.
    assert mentions_of("STOCKHOLM, Nov 27 - The Latvian ambassador refused to accept the protest note of Sweden "
                       "on Friday.") == {("SWE", "LVA", ("protest_note",))}
    assert mentions_of("STOCKHOLM, Nov 27 - The Latvian ambassador refused a protest note on Friday.") \
        == {("SWE", "LVA", ("protest_note",))}
    assert mentions_of("STOCKHOLM, Nov 27 - Sweden refused to send a protest note to Latvia on Friday.") == set()


def test_a_summons_its_own_clause_says_was_issued_is_real_though_snubbed():
    assert pairs("The Latvian ambassador did not appear at a summons issued by the Swedish foreign ministry "
                 "on Friday.") == {("SWE", "LVA")}
    assert pairs("The Swedish foreign ministry did not summon the Latvian ambassador on Friday.") == set()


def test_it_in_a_reported_clause_is_the_state_above_it():
    # The home-state guess would be Chile here (named twice): "it" is Peru, the subject above.
    text = ("Peru reacted sharply on Friday, releasing a statement saying it strongly condemns the decision of Chile "
            "and summoning the Chilean ambassador.")
    assert pairs(text) == {("PER", "CHL")}


def test_ambassador_and_surname_is_the_diplomat_last_named():
    text = ("Peru has summoned the Chilean envoy over Chile's move to ban a former senator.\n"
            "Ambassador Vera was summoned last Friday, November 20.")
    found = {(m.actor, m.target, m.date.iso()) for m in extract_mentions(text, published=PUB)
             if m.sentence.startswith("Ambassador Vera")}
    assert found == {("PER", "CHL", "2020-11-20")}, found


def test_summoning_a_named_organisation_is_no_diplomatic_summons():
    text = ("Chile summoned the Peruvian ambassador on Monday.\n"
            "The Chilean president has summoned the Democratic Alliance and the Freedom Front to explain their remarks.")
    assert [m for m in extract_mentions(text, published=PUB) if m.sentence.startswith("The Chilean president")] == []


@pytest.mark.parametrize(("text", "expected"), [
    # The feeling's owner speaks, whoever voices it.
    ("The foreign ministry voiced on Tuesday Bolivia's rejection of the remarks made by the Chilean president.",
     {("BOL", "CHL")}),
    ("Chile's envoy was summoned on Tuesday \"to convey Bolivia's strong rejection of baseless Chilean claims\".",
     {("BOL", "CHL")}),
    # ... but what a state protested is not its feeling: "protested Chile's plan" is against Chile.
    ("Bolivia on Tuesday protested Chile's plan to divert the river.", {("BOL", "CHL")}),
    # Rejecting another state's military acts is a protest of them.
    ("Uruguay on Friday rejected the naval drills that Argentina carried out near the river mouth.", {("URY", "ARG")}),
    # A predicate "an open provocation", the speaker named after the quote.
    ("The closure of the crossing by Chile is an \"open provocation against the whole region,\" Peru said on Friday.",
     {("PER", "CHL")}),
    # Regret noted "with" the verb: what the regret takes is the target.
    ("Peru noted with regret the decision of Chile to close the border.", {("PER", "CHL")}),
    ("Peru's foreign ministry noted with regret that Chile has closed the border.", {("PER", "CHL")}),
    # A rejected thing in quotation marks, another state's response or its court's ruling.
    ("The foreign ministry of Bolivia rejected \u201cthe baseless assertions of the Chilean authorities\u201d.",
     {("BOL", "CHL")}),
    ("Bolivia said it rejects a \"hostile statement\" by the Chilean foreign minister.", {("BOL", "CHL")}),
    ("La Paz firmly rejected Santiago's response to the seizure of the fishing boat.", {("BOL", "CHL")}),
    ("Bolivia again rejected the Chilean Supreme Court's ruling on the river.", {("BOL", "CHL")}),
    # "unjustified" judges like "unacceptable".
    ("Bolivia's foreign minister says Chile's expulsion of the Bolivian consul is completely unjustified.",
     {("BOL", "CHL")}),
])
def test_owned_feelings_rejections_and_verdicts(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A ministry of no named state protests to a foreign mission: the mission's host protests.
    ("The foreign ministry lodged a protest with the Peruvian embassy in Ecuador on Tuesday.", {("ECU", "PER")}),
    ("On Monday the ministry handed a note of protest to an attaché of the Chilean embassy in Bolivia.", {("BOL", "CHL")}),
    # Where the protested thing sits is no host: "against ... the embassy in Quito" says nothing of who spoke.
    ("The ministry lodged a protest against the search of the Peruvian embassy in Quito.", set()),
    # Coordinated adjectives on a plural envoy or embassy noun: each is a target.
    ("Chile summoned the Russian, Chinese and Serbian ambassadors on Monday.",
     {("CHL", "RUS"), ("CHL", "CHN"), ("CHL", "SRB")}),
    ("Bolivia has sent protest notes to the Peruvian and Brazilian embassies over the remarks.",
     {("BOL", "PER"), ("BOL", "BRA")}),
    # ... but an adjective on another noun is no part of the list.
    ("Chile summoned the Russian ambassador over the Chinese and Serbian remarks.", {("CHL", "RUS")}),
    # A delegation is a mission: its head is the EU's envoy, the "to" state the host.
    ("The foreign ministry of Chile summoned the acting head of the mission at the EU delegation to Chile.",
     {("CHL", "EUU")}),
    # "director-general of the X ministry" speaks for X.
    ("On Friday, Rodrigo Vera, director-general of the Chilean Foreign Ministry's South American Affairs Bureau, "
     "lodged a protest with the Peruvian embassy.", {("CHL", "PER")}),
    # A protest "made" to someone is conveyed like one lodged.
    ("Rodrigo Vera, minister at the Chilean embassy in Lima, made a protest to the director-general "
     "of the Peruvian Foreign Ministry's Americas Bureau on Friday.", {("CHL", "PER")}),
    # The object names the speaker's own state: home politics, or a speaker the parse got wrong.
    ("Chile summoned the Peruvian ambassador on Tuesday.\n"
     "Peru on Wednesday denounced the statement from Peruvian President Luis Castro as a grave mistake.",
     {("CHL", "PER")}),
    # Envoys invited to a ceremony are guests, not summoned.
    ("The Peruvian foreign ministry said the ambassadors of Chile, Bolivia and Ecuador were invited to the gala "
     "ceremony at the Torre Tagle Palace.", set()),
])
def test_receivers_lists_and_missions(text, expected):
    assert pairs(text) == expected


def test_what_constitutes_a_violation_is_the_thing_judged():
    text = ("Chile summoned the Peruvian envoy on Monday.\n"
            "This, according to the ministry, constitutes a flagrant violation of Chile's sovereignty.")
    rules = {(m.actor, m.target, m.rule.split("/")[0]) for m in extract_mentions(text, published=PUB)}
    assert ("CHL", "PER", "statement_unacceptable") in rules
