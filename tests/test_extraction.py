"""The extractor on sentences written for these tests: roles, types, non-protests, dates."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extraction import extract_mentions
from pipeline.gazetteer import load_gazetteer

PUB = date(2020, 11, 27)  # a Friday


def pairs(text: str, published: date | None = PUB, title: str | None = None):
    return [(m.actor, m.target, m.types, m.date.iso() if m.date else None, m.reported_only)
            for m in extract_mentions(text, published=published, title=title)]


def one(text: str, published: date | None = PUB, title: str | None = None):
    found = pairs(text, published, title)
    assert len({(a, t) for a, t, *_ in found}) == 1, found
    return found[0]


@pytest.mark.parametrize("text", [
    "KUWAIT CITY, Sept 3 - The undersecretary handed a written protest to the Iraqi charge d'affaires on Sunday.",  # the home's official
    "Kuwait's deputy minister on Sunday handed the Iraqi charge d'affaires a note expressing disagreement with the remarks.",
])
def test_a_note_handed_by_an_official_with_its_receiver_first_or_last(text):
    assert {(a, t, m) for a, t, m, *_ in pairs(text)} == {("KWT", "IRQ", ("protest_note",))}


def test_a_protest_as_the_means_of_a_response_is_the_responders():
    text = "Algeria cut ties with Spain on Friday. Rabat responded on Saturday by slamming the move as unjustified."
    assert ("MAR", "DZA") in {(a, t) for a, t, *_ in pairs(text)}


def test_a_ledes_protest_of_an_unnamed_act_is_against_the_state_named_next():
    text = ("The Armenian Foreign Ministry on Friday strongly condemned the armed encroachment on its territory.\n"
            "Troops of Azerbaijan crossed the border near a village overnight, the ministry said.")
    assert {(a, t) for a, t, *_ in pairs(text)} == {("ARM", "AZE")}


def test_a_protest_of_these_acts_in_the_states_own_spelling():
    text = ("A Chinese survey ship has been operating near the reef for weeks. "
            "Việt Nam on Friday resolutely protested these activities, the spokeswoman said.")
    assert {(a, t) for a, t, *_ in pairs(text)} == {("VNM", "CHN")}


def test_earlier_in_the_day_is_the_news_not_background():
    found = pairs("Earlier in the day, Saudi Arabia summoned Lebanon's ambassador over the minister's remarks.")
    assert [(a, t, when, reported) for a, t, _, when, reported in found] == [("SAU", "LBN", "2020-11-27", False)]


def test_both_of_a_fixed_group_are_the_two_the_article_names():
    text = ("Russia expelled the envoy of Estonia on Monday and that of Latvia on Friday.\n"
            "Moscow accused both Baltic countries of hostile steps against Russia.")
    assert {(a, t) for a, t, *_ in pairs(text) if a == "RUS"} == {("RUS", "EST"), ("RUS", "LVA")}


def test_an_own_envoy_summoned_for_immediate_consultations_is_a_recall():
    assert pairs("We have summoned the Ukrainian ambassador to Georgia for immediate consultations, the president said.") == []


def test_what_a_states_media_wrote_is_no_act_of_that_state():
    text = "The German embassy in Kathmandu on Friday rejected the false reports published by several Nepali media outlets."
    assert pairs(text) == []


def test_a_protecting_powers_envoy_summoned_over_the_represented_states_act_stands_for_it():
    assert {(a, t) for a, t, *_ in pairs("Iran summoned the Swiss ambassador on Friday over remarks by the US secretary of state.")} \
        == {("IRN", "USA")}
    assert {(a, t) for a, t, *_ in pairs("Iran summoned the Swiss ambassador on Friday over a visa dispute.")} == {("IRN", "CHE")}


def test_a_note_the_summoned_envoy_was_presented_with_is_not_his_states():
    text = ("On 30 September 2022, the Ambassador of the Russian Federation to Latvia, Ivan Petrov, was summoned to the Ministry "
            "of Foreign Affairs of Latvia in order to present him with the Foreign Ministry's note of protest against the "
            "illegitimate annexation of the occupied territories of Ukraine and to condemn the decision of the President of "
            "Russia to absorb those territories into Russia.")
    assert {(a, t) for a, t, *_ in pairs(text, published=None)} == {("LVA", "RUS")}


def test_a_memorandum_of_protest_is_a_note():
    found = one("Bahrain's foreign minister handed the Iraqi charge d'affaires an official memorandum of protest on Tuesday.")
    assert found[:4] == ("BHR", "IRQ", ("protest_note",), "2020-11-24")


def test_active_summons_with_note():
    assert one("Azerbaijan's Foreign Ministry summoned French Ambassador Zacharie Gross on Wednesday and handed him a note of protest.") == \
        ("AZE", "FRA", ("summon", "protest_note"), "2020-11-25", False)


@pytest.mark.parametrize("text", [
    "Ms Vell, Peru's acting ambassador, was summonsed to Chile's Foreign Ministry on Tuesday afternoon.",
    "Chile summonsed the Peruvian ambassador on Tuesday.",
])
def test_the_british_summonsed_is_a_summons(text):
    assert {(a, t, m) for a, t, m, *_ in pairs(text)} == {("CHL", "PER", ("summon",))}


def test_passive_summons_takes_the_ministry_as_actor():
    actor, target, types, when, _ = one("The Russian ambassador was summoned to the Georgian Foreign Ministry on November 20.")
    assert (actor, target, types, when) == ("GEO", "RUS", ("summon",), "2020-11-20")


def test_diplomat_of_country_and_host():
    actor, target, *_ = one("The ambassador of Iran to Azerbaijan was summoned yesterday over the remarks.")
    assert (actor, target) == ("AZE", "IRN")


def test_diplomat_country_is_the_target_when_received_and_handed_a_note():
    text = "Russian Ambassador Mikhail Bocharnikov was received by Deputy Foreign Minister Khalaf Khalafov on November 6 and handed a protest note."
    assert one(text, published=date(2019, 11, 8))[:4] == ("AZE", "RUS", ("summon", "protest_note"), "2019-11-06")


def test_statement_against_another_state():
    actor, target, types, when, _ = one("Turkey strongly condemned the resolution adopted by the French parliament on Thursday.")
    assert (actor, target, types, when) == ("TUR", "FRA", ("protest_statement",), "2020-11-26")


def test_hit_back_at_a_capital():
    actor, target, *_ = one("The Azerbaijani foreign ministry hit back at Moscow on Monday.")
    assert (actor, target) == ("AZE", "RUS")


def test_quoted_statement_takes_the_speaker():
    text = "\u201cWe regret that Washington ignored our warnings,\u201d Foreign Ministry spokeswoman Maria Zakharova said."
    actor, target, *_ = one(text)
    assert (actor, target) == ("RUS", "USA")


def test_community_statement_is_a_non_state_actor():
    text = "The Azerbaijani community of Nagorno-Karabakh said the remarks by Russian Foreign Minister Sergey Lavrov cause deep regret."
    actor, target, *_ = one(text)
    assert (actor, target) == ("NGO", "RUS")


@pytest.mark.parametrize(
    "text",
    [
        "The new French ambassador presented his credentials to President Ilham Aliyev on Tuesday.",
        "The Russian ambassador paid a farewell visit to the Azerbaijani Foreign Ministry.",
        "Foreign Minister Jeyhun Bayramov met the U.S. ambassador to discuss energy cooperation.",
        "The court summoned the French journalist as a witness in the case.",
        "Hundreds of protesters rallied outside the Russian embassy in Kyiv on Sunday.",
        "Opposition deputies urged the government to summon the Russian ambassador.",
        "Baku did not summon the French ambassador, the ministry said.",
        "The ministry may summon the Iranian ambassador if the attacks continue.",
        "Azerbaijan congratulated France on its national day.",
        "The two foreign ministers held talks in Paris on Thursday.",
        "The embassy sent a note about visa arrangements for the delegation.",
        "The Norwegian police accused Iran of planning an attack on an exiled dissident.",  # investigators, not the government
        "The Chilean president was received by a delegation of Peruvian ministers at the border on Monday.",  # a guest
        "Bolivian mobs lash out at Chile",  # a crowd, not its state
        "Chile filed a complaint against Peru with the International Court of Justice on Monday.",  # a lawsuit
        "The Chilean minister said on Monday he supported the denounced Peruvian Congress decision.",  # others denounced it
        "The Peruvian ambassador's account was called into question by Chilean officials on Monday.",
        # sympathy: what is regretted is a misfortune, not anyone's act
        "Floods swept the Peruvian coast on Monday. The Chilean president said \"we deeply regret the disaster\" in Lima.",
        # who speaks for private people speaks for no state
        "The representatives of the Peruvian victims expressed regret over the Chilean court's decision on Monday.",
        # the subject of the talk is no culprit: "on the Bolivia question"
        "Chile on Monday condemned, on the Bolivia question, any attempt to change the border by force.",
        # a question reports no protest
        'The Chilean minister wrote: "Do I have to file the diplomatic protest with Peru myself?"',
        "Has Chile protested to Peru over the seizure of the boats?",
    ],
)
def test_not_a_protest(text):
    assert pairs(text) == []


def test_date_of_the_cause_is_not_the_date_of_the_summons():
    text = "Earlier, Baku summoned U.S. Ambassador Earle Litzenberger to hand him a protest note over a visit to the U.S. on October 29."
    actor, target, types, when, reported = one(text, published=date(2019, 11, 8))
    assert (actor, target, when, reported) == ("AZE", "USA", "2019", True)


def test_undated_mention_takes_the_articles_date_for_that_pair():
    text = ("Azerbaijan has summoned the Russian ambassador over a visit by separatist officials to Moscow.\n"
            "Ambassador Mikhail Bocharnikov was received at the ministry on November 6 and handed a note of protest.")
    found = pairs(text, published=date(2019, 11, 8))
    assert {f[3] for f in found} == {"2019-11-06"}


def test_the_date_of_the_protests_own_communique_dates_it():
    text = "In a communique dated Wednesday November 25, 2020, the presidency of Cameroon rejects the allegations of France."
    assert one(text)[:2] == ("CMR", "FRA") and one(text)[3] == "2020-11-25"


def test_a_quote_that_tells_of_the_protest_dates_it_by_its_own_date():
    text = ('"On 3 March 2021, the ambassador of Belarus was summoned to the Ministry of Foreign Affairs of '
            'Lithuania and handed a protest," the ministry said.')
    actor, target, _, when, _ = one(text, published=date(2021, 3, 4))
    assert (actor, target, when) == ("LTU", "BLR", "2021-03-03")


def test_a_date_after_outrage_at_something_is_that_things():
    text = ("\"The foreign secretary conveyed Bolivia's outrage at the killing of two Bolivian farmers on 1 May 2021 "
            "by Chilean soldiers,\" a statement said on Tuesday.")
    actor, target, _, when, _ = one(text, published=date(2021, 5, 4))
    assert (actor, target) == ("BOL", "CHL") and when != "2021-05-01", when


def test_a_date_on_a_thing_inside_the_cause_phrase_is_that_things():
    # the parser hangs "on Thursday" on the launch, which hangs on "following": the launch's day
    text = "Chile has lodged a protest with Bolivia following the country's seizure of two trucks on Thursday."
    actor, target, _, when, _ = one(text)
    assert (actor, target, when) == ("CHL", "BOL", "2020-11-27")
    assert one("Chile summoned the Bolivian ambassador due to the seizure of two trucks by Bolivian police on Thursday."
               )[3] == "2020-11-27"
    # ... but a day that the parse hangs on the protest verb stays the protest's
    assert one("Chile lodged a protest with Bolivia on Thursday over the seizure of two trucks.")[3] == "2020-11-26"


def test_a_date_after_the_protest_in_its_own_quote_is_still_the_causes():
    text = ('The statement said: "This morning, the Ministry of Foreign Affairs of Lithuania summoned the ambassador of '
            'Belarus and delivered a memorandum of protest to the Belarusian shelling of border villages on Tuesday, 16 March 2021."')
    actor, target, _, when, _ = one(text, published=date(2021, 3, 18))
    assert (actor, target) == ("LTU", "BLR") and when != "2021-03-16", when


def test_a_quoted_date_of_what_was_protested_is_still_not_the_protests():
    text = 'Lithuania summoned the ambassador of Belarus over what it called "the incursion of 3 March".'
    assert one(text, published=date(2021, 3, 9))[3] == "2021-03-09"


def test_undated_news_takes_the_day_an_aside_gives_the_same_summons():
    text = ("Chile's foreign minister summoned the Peruvian envoy after the arrests of Chilean fishermen.\n"
            "The minister said the arrests were unlawful.\nThe fishermen were detained last week.\n"
            "Chile had earlier on Monday summoned Peru over the arrests.")
    found = {(a, t, when) for a, t, _, when, _ in pairs(text, published=date(2020, 11, 25))}
    assert found == {("CHL", "PER", "2020-11-23")}, found


def test_news_in_a_dated_lede_keeps_its_day_beside_an_earlier_aside():
    text = ("Chile's foreign minister early Sunday urged Peru to free the fishermen.\n"
            "He made the remarks when he summoned the Peruvian ambassador in the small hours.\n"
            "Previously, Chile's deputy minister on Friday summoned the Peruvian ambassador over the seizure.")
    found = sorted(when for a, t, _, when, _ in pairs(text, published=date(2020, 11, 29)))
    assert found == ["2020-11-27", "2020-11-29"], found


def test_a_protest_the_news_came_days_after_is_dated_back_from_the_news_day():
    text = ("Chile on Friday called in the Peruvian ambassador over the fishing dispute.\n"
            "The move came two days after Peru summoned the Chilean ambassador over remarks by a minister.")
    found = {(a, t): when for a, t, _, when, _ in pairs(text)}
    assert found == {("CHL", "PER"): "2020-11-27", ("PER", "CHL"): "2020-11-25"}, found


def test_an_aside_takes_the_earlier_date_the_text_gives_its_pair():
    text = ("Lithuania on Friday summoned the Belarusian charge d'affaires in retaliation.\n"
            "He was summoned in response to the summoning of the Lithuanian envoy by Belarus last week, a diplomat said.\n"
            "Belarus on November 23 summoned the Lithuanian ambassador and protested over a border incident.")
    found = {(a, t, when) for a, t, _, when, _ in pairs(text)}
    assert ("BLR", "LTU", "2020-11-23") in found and not any(a == "BLR" and when != "2020-11-23" for a, _, when in found), found


def test_undated_mention_takes_the_date_its_pair_derives_from_the_cause():
    # One note told twice: the dated telling's date (after the cause's day) is the incident's,
    # not the cause's day that the lede's date would give the undated one.
    text = ("Peruvian Foreign Ministry handed a note of protest to the Chilean Ambassador\n\n"
            "The Peruvian authorities handed a note of protest to the Chilean ambassador in Lima in connection "
            "with the fact that a Chilean plane violated the airspace of the republic on November 26.")
    assert {f[3] for f in pairs(text)} == {"2020-11-27"}


@pytest.mark.parametrize("text", [
    "date 2020-11-27 Norway condemned Sweden over the raid on its consulate on Thursday (Nov. 26).",
    "OSLO, Nov. 27 (Agency) -- Norway has condemned Sweden over the raid on its consulate, which took place "
    "on Thursday (Nov. 26).",
])
def test_a_stamp_or_dateline_does_not_date_the_event_the_lede_does(text):
    assert one(text)[3] == "2020-11-26"


@pytest.mark.parametrize(("text", "when"), [
    # No day or month anywhere: the year the text names.
    ("Norway summoned the Swedish ambassador on Monday over the raids.\nIn 2019, the two states signed a border deal.",
     "2019"),
    # A bare year counts; a photo caption's month from an earlier year does not date the text.
    ("Israel summoned the Irish ambassador over the Trade Bill 2018.\n"
     "The photo shows the two ministers in Dublin in July 2017.", "2018"),
    # The end of a span ("2010 to 2015") is not a year the text is in.
    ("Israel summoned the Irish ambassador over the trade bill.\n"
     "The bill was drafted under the 2010 to 2015 government, which left office in 2014.", "2014"),
])
def test_without_publication_date_or_day_the_latest_year_named(text, when):
    assert one(text, published=None)[3] == when


def test_main_incident_dated_only_by_its_cause_takes_the_publication_day():
    text = "Norway summoned the Swedish ambassador over the violation of its airspace on November 24."
    assert one(text)[3] == "2020-11-27"


def test_without_publication_date_relative_days_fall_back_to_the_month():
    text = ("Russia's Foreign Ministry summoned Azerbaijan's ambassador on Monday.\n"
            "The move followed a statement on July 15, 2023 about the corridor.")
    (found,) = pairs(text, published=None)
    assert found[:2] == ("RUS", "AZE") and found[3] == "2023-07"


def test_background_incidents_are_reported_only():
    text = ("Georgia summoned the Russian charge d'affaires on Thursday over the detention of a Georgian citizen.\n"
            "In 2019, Tbilisi had also protested to Moscow over the installation of border signs.")
    found = pairs(text)
    assert ("GEO", "RUS", ("summon",), "2020-11-26", False) in found
    assert any(f[3] == "2019" and f[4] for f in found)


def test_offsets_point_at_the_evidence():
    text = "Some opening words.\nIran summoned the Azerbaijani ambassador on Monday over the remarks."
    (mention,) = extract_mentions(text, published=PUB)
    assert text[mention.char_start:mention.char_end] == mention.sentence
    assert mention.rule.startswith("summon_active") and 0 < mention.confidence <= 1


def test_gazetteer_covers_every_un_member_and_users_can_extend_it(tmp_path):
    gazetteer = load_gazetteer()
    assert len({e.code for e in gazetteer._entries}) >= 195
    found = gazetteer.find("Kyiv protested to the Kremlin; Quai d'Orsay and the State Department said.")
    assert [e.code for e in found] == ["UKR", "RUS", "FRA", "USA"]
    # headline abbreviations of the two Koreas: "N.Korea" is not the South's "Korea"
    found = gazetteer.find("Japan protests to N.Korea; S. Korean and N. Korean envoys met")
    assert [e.code for e in found] == ["JPN", "PRK", "KOR", "PRK"]
    extra = tmp_path / "gaz"
    extra.mkdir()
    (extra / "states.tsv").write_text("code\tkind\tsurface\nAZE\tname\tAzerbaijan\n")
    (extra / "mine.tsv").write_text("code\tkind\tsurface\nXYZ\tname\tFreedonia\n")
    custom = load_gazetteer(extra)
    assert [e.code for e in custom.find("Freedonia and Azerbaijan")] == ["XYZ", "AZE"]


def test_a_leaders_surname_stands_alone_unless_common_surnames_lists_it(tmp_path):
    gaz = tmp_path / "gaz"
    gaz.mkdir()
    (gaz / "officials.tsv").write_text("name\tcode\trole\tfrom_year\tto_year\n"
                                       "Ana Quintero\tESP\tprime minister\t\t\n"
                                       "Lena Brekkevold\tNOR\tforeign minister\t\t\n"
                                       "Karim Oudaghir\tMAR\tking\t\t\n"
                                       "Tom Fellowes\tGBR\tforeign secretary\t\t\n"
                                       "Ines Marvaud\tFRA\tambassador to Chile\t\t\n")
    (gaz / "common_surnames.tsv").write_text("surname\nQuintero\n")
    custom = load_gazetteer(gaz)
    # A listed surname is a common name: alone it names nobody...
    assert [e.surface for e in custom.find("Quintero and Brekkevold met on Monday.")] == ["Brekkevold"]
    # ...but after the full name it is the same official.
    found = custom.find("Ana Quintero arrived. Quintero then spoke.")
    assert [(e.surface, e.code, e.kind) for e in found] == [("Ana Quintero", "ESP", "official"), ("Quintero", "ESP", "official")]
    # A monarch or a foreign secretary is named by surname too; an ambassador only after the full name.
    assert [e.code for e in custom.find("Oudaghir wrote to Fellowes and to Marvaud.")] == ["MAR", "GBR"]


def test_shipped_gazetteer_knows_leaders_and_seats_of_government_worldwide():
    found = load_gazetteer().find("Itamaraty, the Farnesina and Wisma Putra reacted; Sánchez and Tinubu spoke, "
                                  "then Pedro Sánchez again; Miguel Díaz-Canel and Yvan Gil replied.")
    assert [(e.surface, e.code) for e in found] == [
        ("Itamaraty", "BRA"), ("Farnesina", "ITA"), ("Wisma Putra", "MYS"), ("Tinubu", "NGA"),
        ("Pedro Sánchez", "ESP"), ("Miguel Díaz-Canel", "CUB"), ("Yvan Gil", "VEN")]


def test_mutual_summons_and_blame():
    found = pairs("Iran and Turkey summoned each other's ambassadors on Friday in a row over a poem.")
    assert {(a, t) for a, t, *_ in found} == {("IRN", "TUR"), ("TUR", "IRN")}
    found = pairs("Armenia and Azerbaijan blamed each other on Tuesday for the heaviest fighting in years.")
    assert {(a, t) for a, t, *_ in found} == {("ARM", "AZE"), ("AZE", "ARM")}
    found = pairs("Chad and Sudan swapped accusations on Tuesday of arming rebels across the border.")
    assert {(a, t) for a, t, *_ in found} == {("TCD", "SDN"), ("SDN", "TCD")}


def test_coordinated_actors_each_summon():
    found = pairs("Germany and France summoned Russia's ambassadors on Monday over the death of the opposition leader.")
    assert {(a, t) for a, t, *_ in found} == {("DEU", "RUS"), ("FRA", "RUS")}


def test_accusation_needs_a_state_as_the_accused():
    assert one("Ukraine accused Russia on Friday of launching a direct invasion.")[:3] == ("UKR", "RUS", ("protest_statement",))
    assert pairs("Baku has arrested several groups it accuses of plotting attacks on Israeli targets.") == []


def test_the_same_day_takes_the_previous_incidents_day():
    text = ("Azerbaijan's Foreign Ministry summoned the French ambassador on Wednesday over the Senate vote.\n"
            "France rejected the accusations the same day, the Quai d'Orsay said.")
    found = pairs(text)
    assert ("FRA", "AZE", ("protest_statement",), "2020-11-25", True) in found


def test_a_tally_of_protests_is_not_one_protest():
    text = ("Azerbaijan summoned the Armenian envoy on Tuesday. The spokeswoman said a total of 20 diplomatic protests "
            "were filed against Armenia since January.")
    assert [types for _, _, types, *_ in pairs(text)] == [("summon",)]


def test_a_date_of_the_thing_protested_does_not_carry_to_the_next_sentence():
    text = ("Chile handed a note of protest to the Peruvian ambassador in connection with the fact that a Peruvian "
            "plane violated its airspace on November 24. The diplomat was summoned to the Chilean foreign ministry.")
    assert {(a, t, when) for a, t, _, when, _ in pairs(text)} == {("CHL", "PER", "2020-11-27")}


def test_a_paragraph_date_carries_to_the_reactions_that_follow():
    text = ("The first reactions to Russia's recognition of the two regions came on 26 August. "
            "In Washington, President George W. Bush condemned the decision as irresponsible.")
    assert one(text, published=date(2008, 9, 2))[:4] == ("USA", "RUS", ("protest_statement",), "2008-08-26")


@pytest.mark.parametrize(
    "text",
    [
        "Baku has denounced the practice on many occasions, officials said.",  # habitual, not one incident
        "Baku has often criticised Armenia's policy on the border in the past.",
        # a stance described ("with A and B opposing the move"), not a statement
        "The alliance is split, with Georgia and Ukraine also opposing Armenia's move.",
        # a rally outside a mission is no protest statement, even by a group
        "Members of the Azerbaijani Youth Association protested the Armenian shelling outside the Armenian embassy in Moscow.",
        '"We have been lodging protests with Armenia about it," the Azerbaijani minister said.',  # ongoing, no one act
        "Iran's Foreign Ministry denied reports that Tehran had summoned the Azerbaijani ambassador.",
        "The ministry expressed its displeasure with the pro-Armenian stance of some deputies.",  # no state target
        "The OSCE Minsk Group co-chairs condemned the shelling.",  # the Minsk Group is not Belarus
    ],
)
def test_more_things_that_are_not_incidents(text):
    assert pairs(text) == []


def test_of_the_same_year_keeps_the_narrated_year():
    text = ("In October 2019 Ankara summoned the US ambassador over a House resolution. "
            "In December of the same year the Senate adopted a similar text, and Ankara summoned the US ambassador again.")
    found = pairs(text, published=date(2021, 4, 26))
    assert {f[3] for f in found} == {"2019-10", "2019-12"}


def test_every_trigger_has_a_stem_that_its_matches_contain():
    from pipeline.extraction import cues

    samples = {
        "summon_passive": "was summoned", "summon_active": "called in", "summon_invited": "was invited to the ministry",
        "summon_meeting": "a meeting with the French ambassador was held at the Foreign Ministry",
        "note_noun": "a note of protest", "note_lodged": "lodged a protest", "statement_protest": "protested against",
        "statement_expressed": "expressed its indignation", "statement_condemn": "condemned",
        "statement_reject": "rejected the claims", "statement_accuse": "accused Paris of",
        "statement_blame": "blamed Baku for", "statement_characterize": "called the visit a provocation",
        "statement_criticize": "hit back at", "statement_regret": "deeply regrets",
        "statement_stimulus": "causes regret", "statement_unacceptable": "unacceptable",
        "statement_recall": "recalled its ambassador in protest", "statement_urge": "called on",
        "statement_concern": "is deeply concerned by",
        "statement_trade": "traded sharp barbs",
    }
    assert set(samples) == set(cues.TRIGGERS)
    for name, sample in samples.items():
        assert cues.TRIGGERS[name][2].search(sample), name
        stems = {s for s, names in cues.STEMS.items() if name in names}
        assert any(stem in sample.lower() for stem in stems), name


def test_a_recall_counts_only_when_no_other_protest_of_the_pair_is_told():
    alone = "Chile recalled its ambassador to Peru for consultations on Thursday over the border incident."
    assert [(a, t) for a, t, *_ in pairs(alone)] == [("CHL", "PER")]
    beside = ("On Wednesday Chile's foreign ministry condemned Peru's seizure of the fishing boats. "
              "On Thursday Chile recalled its ambassador to Peru for consultations.")
    assert [(a, t, d) for a, t, _, d, _ in pairs(beside)] == [("CHL", "PER", "2020-11-25")]
    # an abbreviated title's period between the envoy and "consultations" is no sentence end
    titled = ("Ghana has recalled its ambassador to Togo, Maj. Gen. (Rtd) Kofi Mensah, for urgent consultations on Monday "
              "over the border incident.")
    assert [(a, t) for a, t, *_ in pairs(titled)] == [("GHA", "TGO")]
    # ... also told in the passive: the ambassador's state recalls him from his host
    assert [(a, t) for a, t, *_ in pairs("The Chilean ambassador to Peru was recalled on Monday in protest at the "
                                         "seizure of the boats.")] == [("CHL", "PER")]
    # a recall with no reason given is no protest (annotation guideline): "for consultations" alone is not one
    assert pairs("Ghana has recalled its ambassador to Togo for consultations, the presidency said on Monday.") == []
    # a recall "in protest" is one too, and two recalls of the same pair do not cancel each other
    twice = ("Chile on Thursday recalled its ambassador to Peru in protest against the seizure of three fishing boats "
             "and their crews by the Peruvian navy off the coast of Arica early this week, the official news agency reported.\n"
             "\"Chile has recalled its ambassador to Lima for consultations,\" the minister said.")
    assert {(a, t) for a, t, *_ in pairs(twice)} == {("CHL", "PER")}
    assert {(a, t) for a, t, *_ in pairs(twice.split("\n")[0])} == {("CHL", "PER")}
    # a recall in other words: "summoned its (own) ambassador ... for consultations", "pulled its ambassador out of"
    assert [(a, t) for a, t, *_ in pairs("Chile summoned its ambassador to Peru, Juan Soto, for consultations in Santiago "
                                         "over the remarks.")] == [("CHL", "PER")]
    assert [(a, t) for a, t, *_ in pairs("The Chilean foreign ministry pulled its ambassador out of Lima on Sunday.")] \
        == [("CHL", "PER")]
    # ... "its ambassador from Lima": the post hangs on the envoy
    assert [(a, t) for a, t, *_ in pairs("Chile has recalled its ambassador from Lima after Peruvian leaders heaped "
                                         "criticism on the president.")] == [("CHL", "PER")]


def test_a_criticism_that_news_comes_after_is_a_protest_not_a_cause():
    # what a protest answers is the cause (the_cause); what other news merely follows is not
    assert [(a, t) for a, t, *_ in pairs("The rallies come less than a week after Chile criticised Peru for approving "
                                         "new school maps.")] == [("CHL", "PER")]
    assert pairs("Chile summoned the Peruvian ambassador after Peru criticised the Chilean navy.")[0][:2] == ("CHL", "PER")
    assert len(pairs("Chile summoned the Peruvian ambassador after Peru criticised the Chilean navy.")) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # other outlets' styles
        ("China lodged stern representations with the United States over the arms sale on Monday.",
         ("CHN", "USA", ("protest_note",), "2020-11-23")),
        ("Israel reprimanded the Spanish ambassador on Thursday over the prime minister's remarks.",
         ("ISR", "ESP", ("summon",), "2020-11-26")),
        # a protest lodged at a summons is a note too (docs/annotation.md)
        ("India summoned Pakistan's deputy high commissioner on Tuesday to protest the killing of two soldiers.",
         ("IND", "PAK", ("summon", "protest_note"), "2020-11-24")),
        ("Beijing voiced strong dissatisfaction with Tokyo on Friday over the visit to the shrine.",
         ("CHN", "JPN", ("protest_statement",), "2020-11-27")),
        ("A spokesman said on Monday that China had made \"a solemn representation\" to Nepal over the visit.",
         ("CHN", "NPL", ("protest_note",), "2020-11-23")),
        ("Kenya's foreign ministry on Monday voiced the country's anger at the Ugandan minister's remarks.",
         ("KEN", "UGA", ("protest_statement",), "2020-11-23")),
        ("On Monday Chile called Peru's seizure of the boats a grave breach of Chilean sovereignty.",
         ("CHL", "PER", ("protest_statement",), "2020-11-23")),
        ("Today the Ambassador of Peru to Chile, Luis Soto, was called into the Ministry over the remarks.",
         ("CHL", "PER", ("summon",), "2020-11-27")),
        ("Chile's embassy in Lima said on Monday it had formally complained to Peru after police searched a diplomat.",
         ("CHL", "PER", ("protest_statement",), "2020-11-23")),
        ("Chile protests after Peru expels diplomat", ("CHL", "PER", ("protest_statement",), "2020-11-27")),  # a headline
        ("On Monday Chile's foreign ministry expressed surprise at Peru's decision to close the border.",
         ("CHL", "PER", ("protest_statement",), "2020-11-23")),
        # a complaint to the Security Council against a state is a statement against it
        ("Chile filed a complaint with the UN Security Council on Monday against Peru over the shelling of border posts.",
         ("CHL", "PER", ("protest_statement",), "2020-11-23")),
        ("Palestine submitted a formal complaint against Guatemala to the UN Security Council on Monday.",
         ("PSE", "GTM", ("protest_statement",), "2020-11-23")),
        # blame laid on a state is a statement against it
        ("Bolivia holds Chile fully responsible for the shelling of the border posts, the ministry said on Monday.",
         ("BOL", "CHL", ("protest_statement",), "2020-11-23")),
        ('LA PAZ, Nov 23 - The Bolivian Defence Ministry said: "The Chilean regime is fully responsible for '
         'the further escalation of the situation."', ("BOL", "CHL", ("protest_statement",), "2020-11-23")),
        ("The Foreign Office summoned the Iranian ambassador on Wednesday after the execution of a dual national.",
         ("GBR", "IRN", ("summon",), "2020-11-25")),
        # notes
        ("Canada démarched the Chinese ambassador on Monday over the detention of two citizens.",
         ("CAN", "CHN", ("protest_note",), "2020-11-23")),
        ("Chile handed a written complaint to the Bolivian ambassador on Wednesday over the border incident.",
         ("CHL", "BOL", ("protest_note",), "2020-11-25")),
        ("Spain lodged a formal complaint with the Moroccan government on Thursday over the migrant crossings.",
         ("ESP", "MAR", ("protest_note",), "2020-11-26")),
        ("Egypt's foreign ministry sent a letter to the Israeli embassy on Tuesday conveying its strong condemnation of the strikes.",
         ("EGY", "ISR", ("protest_note", "protest_statement"), "2020-11-24")),
        ("Manila issued a note verbale to Beijing on Monday protesting the harassment of its fishermen.",
         ("PHL", "CHN", ("protest_note", "protest_statement"), "2020-11-23")),
        ("Seoul lodged a solemn protest with Tokyo on Tuesday over the new textbooks.",
         ("KOR", "JPN", ("protest_note",), "2020-11-24")),
        # summonses
        ("The Polish ambassador was invited for a conversation at the Belarusian foreign ministry on Tuesday.",
         ("BLR", "POL", ("summon",), "2020-11-24")),
        ("The Slovak ambassador was asked to come to the Hungarian foreign ministry on Thursday.",
         ("HUN", "SVK", ("summon",), "2020-11-26")),
        ("Lithuania's foreign ministry invited the Russian ambassador for a conversation on Wednesday over the airspace violation.",
         ("LTU", "RUS", ("summon",), "2020-11-25")),
        ("Kenya's foreign ministry called the Ugandan High Commissioner in on Monday over the border shooting.",
         ("KEN", "UGA", ("summon",), "2020-11-23")),
        # statements
        ("Japan protested on Monday against the Russian minister's visit to the islands.",
         ("JPN", "RUS", ("protest_statement",), "2020-11-23")),
        ("Vietnam protested China's new fishing ban on Tuesday.",
         ("VNM", "CHN", ("protest_statement",), "2020-11-24")),
        ("Canada's foreign ministry expressed grave concern on Friday over Saudi Arabia's arrest of rights activists.",
         ("CAN", "SAU", ("protest_statement",), "2020-11-27")),
        ("The Chilean government expressed \"its strongest condemnation\" of the Peruvian raid on Monday.",
         ("CHL", "PER", ("protest_statement",), "2020-11-23")),
        ("Ankara took strong exception on Wednesday to the Greek minister's remarks.",
         ("TUR", "GRC", ("protest_statement",), "2020-11-25")),
        ("Manila's deportation of the suspects on Monday drew strong protests from Taipei.",
         ("TWN", "PHL", ("protest_statement",), "2020-11-23")),
        ("The Belarusian decision drew a swift rebuke from Poland's foreign ministry on Tuesday.",
         ("POL", "BLR", ("protest_statement",), "2020-11-24")),
        ("China's new fishing map met with a rebuke from Vietnam on Monday.",
         ("VNM", "CHN", ("protest_statement",), "2020-11-23")),
        ("A statement from Ghana's foreign ministry on Monday condemned Togo's border closure.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Ghana's foreign ministry on Tuesday said Togo's border closure was an affront to Ghana's sovereignty.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
        ("Ghana's foreign ministry said on Monday that Togo's deployment violated Ghana's sovereignty.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Togolese drills near the islands violated Ghana's sovereignty, the foreign ministry said on Thursday.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-26")),
        ("Ghana's foreign ministry on Monday called Togo's decision a \"direct aggression\" against the Ghanaian people.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Ghana on Monday rejected Togo's objections to the new border post.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Iraq's foreign ministry on Wednesday called the Iranian missile strikes a violation of Iraqi sovereignty.",
         ("IRQ", "IRN", ("protest_statement",), "2020-11-25")),
        ("Peru's foreign minister said on Thursday that the Mexican president's remarks were interference in Peru's internal affairs.",
         ("PER", "MEX", ("protest_statement",), "2020-11-26")),
        ("Kenya's hosting of the rebel meeting is a hostile act, Sudan's foreign ministry said on Thursday.",
         ("SDN", "KEN", ("protest_statement",), "2020-11-26")),
        ("\"The Canadian sanctions are interference in Peru's affairs,\" Peru's foreign ministry said on Monday.",
         ("PER", "CAN", ("protest_statement",), "2020-11-23")),
        ("Chile's foreign ministry on Tuesday firmly rejected the presence of the Argentine patrol boat in the strait.",
         ("CHL", "ARG", ("protest_statement",), "2020-11-24")),
        # concern as the state's own predicate, about another state's act
        ("Estonia is deeply concerned by Belarus's detention of the two border guards, its foreign ministry said on Monday.",
         ("EST", "BLR", ("protest_statement",), "2020-11-23")),
        ("Spain said on Wednesday it was \"gravely concerned\" over Morocco's expulsion of the reporters.",
         ("ESP", "MAR", ("protest_statement",), "2020-11-25")),
        ("Chile said on Monday it was deeply disappointed by Bolivia's decision to close the consulate.",
         ("CHL", "BOL", ("protest_statement",), "2020-11-23")),
        ("Ghana is concerned about the escalation of attacks by Togolese troops, the ministry said on Monday.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Missile tests by Pyongyang are absolutely intolerable, a Japanese government spokesman said on Monday.",
         ("JPN", "PRK", ("protest_statement",), "2020-11-23")),
        # a verdict on a thing the parser makes the adjective's own subject; "amounts to interference"
        ("Ghana's foreign ministry on Monday called Togo's decision unacceptable.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("The minister said on Tuesday that Poland considers the Belarusian decision unacceptable.",
         ("POL", "BLR", ("protest_statement",), "2020-11-24")),
        ("Ghana's foreign minister said on Monday that Togo's remarks amounted to interference in Ghana's internal affairs.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        ("Ghana has repudiated Togo's decision to close the border, the foreign ministry said on Tuesday.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
        ("The border closure by Togo is a flagrant violation of international law, Ghana's foreign ministry said on Monday.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-23")),
        # a head of state's public rebuke, in the verbs and light-verb nouns of news English
        ("Ghana's president stepped up criticism of Togo's ambassador on Tuesday.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
        ("Ghana's president on Tuesday hit out at Togo over the border closure.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
        ("Ghana's president on Tuesday decried Togo's border closure.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
        ("Ghana's president on Tuesday berated Togo over the border closure.",
         ("GHA", "TGO", ("protest_statement",), "2020-11-24")),
    ],
)
def test_protest_vocabulary_of_the_news(text, expected):
    assert one(text)[:4] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bolivia filed a formal complaint against Chile with the International Court of Justice.",
        "The Palestinian ministry will submit a formal complaint against Guatemala to the UN Security Council.",
        "The minister expressed deep concern over the floods in Pakistan.",
        "Amnesty International expressed grave concern over Egypt's arrest of the journalists.",
        "Brazil did not express concern over Venezuela's election.",
        "Brazil is concerned about the floods in Pakistan, the ministry said on Monday.",
        "The states concerned by Russia's decision will meet on Monday.",
        "The fans were disappointed by Bolivia's tactics on Monday.",
        "The Polish minister met with the Belarusian ambassador on Monday.",
        "The bombing drew condemnation from around the world on Monday.",
        "Two Togolese jets violated Ghana's airspace on Monday.",  # the reporter's fact, nobody's verdict
        "Canada is deeply concerned by the renewal of violence in southern Israel, its foreign ministry said on Monday.",
        "Poland is considering summoning the Belarusian ambassador.",
        "The decree on Togo was issued on Tuesday after the international censure of its election.",
        "The decision amounted to interference in the affairs of the club, the league said.",
        "The Greek ambassador said on Monday he was concerned about Turkey's drilling plans.",
        "Chile may lodge a formal complaint with Argentina.",
        "Students protesting Israeli strikes marched to the embassy in Ankara.",
        "Kenya hosted the rebels in a hostile move against Sudan, the ministry said.",  # a motive, not a verdict
        "Hungary issued a note verbale to Austria on Monday about the visa arrangements for the summit.",
        "The French ambassador was invited for a conversation about culture at the Italian embassy's reception.",
    ],
)
def test_weak_or_misplaced_protest_words_are_not_incidents(text):
    assert pairs(text) == []


def test_a_diplomatic_note_sent_over_a_grievance_is_a_protest_note():
    text = "ZAGREB, January 27, 2018 (Hina) - Croatia on Saturday sent a diplomatic note to Slovenia over the fines."
    assert [(a, t, types) for a, t, types, *_ in pairs(text)] == [("HRV", "SVN", ("protest_note",))]


def test_a_transitive_protest_is_a_verb_before_a_named_thing_not_a_weekday():
    from pipeline.extraction import cues

    pattern = cues.TRIGGERS["statement_protest"][2]
    assert pattern.search("Hanoi protested Beijing's new survey.")
    assert pattern.search("Seoul protested Japanese textbooks.")
    assert not pattern.search("They called for protests Friday.")


def test_the_protested_state_protesting_back_undated_keeps_only_the_year():
    # Most often it is what the lead story protests, said before it: not the news day.
    text = ("Norway summoned the Swedish ambassador over remarks about its fishing fleet.\n"
            "The Swedish prime minister accused Norway of overfishing in shared waters.")
    assert pairs(text) == [("NOR", "SWE", ("summon",), "2020-11-27", False),
                           ("SWE", "NOR", ("protest_statement",), "2020", True)]
    # Dated, it keeps its day.
    text = text.replace("accused Norway", "on Tuesday accused Norway")
    assert pairs(text)[1][3] == "2020-11-24"


def test_words_given_to_the_press_take_no_date_from_the_events_before_them():
    text = ("Norway summoned the Swedish ambassador on Monday over the raid.\n\n"
            "Two fishermen were detained on Saturday when Swedish patrols boarded their boat. "
            "Norway strongly condemned the Swedish raid, a foreign ministry spokesman told Reuters.")
    assert {f[3] for f in pairs(text)} == {"2020-11-23"}


def test_a_protest_inside_what_another_protests_is_background_without_its_day():
    text = "Norway on Tuesday summoned the Swedish ambassador over Stockholm's recent statement accusing Norway of overfishing."
    assert pairs(text) == [("NOR", "SWE", ("summon",), "2020-11-24", False),
                           ("SWE", "NOR", ("protest_statement",), "2020", True)]
    # Not a protest of the same act: "to protest", "and handed him a protest note".
    text = "Norway on Tuesday summoned the Swedish ambassador to protest the raid and handed him a protest note."
    assert {(f[0], f[3], f[4]) for f in pairs(text)} == {("NOR", "2020-11-24", False)}


def test_another_pair_dated_to_the_news_day_is_news_not_background():
    text = ("Norway summoned the Swedish ambassador on Friday over the raid on its consulate.\n"
            "Denmark also condemned Sweden on Friday, its foreign ministry said.\n"
            "Finland condemned Sweden over the raid, its foreign ministry said.")
    found = {(f[0], f[4]) for f in pairs(text)}
    assert found == {("NOR", False), ("DNK", False), ("FIN", True)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # a guard word drops only the trigger of its own clause
        ("Poland expressed condolences to the victims' families and denounced Russia's airstrike on the city.",
         [("POL", "RUS")]),
        ("Hundreds of demonstrators rallied outside the Chinese embassy in Manila, and the Philippine foreign ministry "
         "lodged a formal protest with the Chinese ambassador.", [("PHL", "CHN")]),
        ("Norway denied the reports; its foreign ministry summoned the Russian ambassador on Friday.", [("NOR", "RUS")]),
        # ... and still drops the trigger it governs
        ("Finland summoned the Russian ambassador for a farewell visit, and the two discussed trade.", []),
        ("Latvia denied reports that Riga had summoned the Estonian ambassador, and called them rumours.", []),
        # an adverb spans the verbs that share its subject, not a clause with its own
        ("Egypt has repeatedly criticised Ethiopia over the dam and accused Addis Ababa of stalling.", []),
        ("Egypt has repeatedly criticised Ethiopia over the dam, but on Monday Cairo accused Addis Ababa of stalling.",
         [("EGY", "ETH")]),
    ],
)
def test_guard_words_drop_only_their_own_clause(text, expected):
    assert [p[:2] for p in pairs(text)] == expected


def test_a_party_statement_does_not_speak_for_the_ministry_after_it():
    text = ("The Brotherhood's party expressed condolences for the dead and denounced the Israeli airstrike. "
            "Egypt's foreign ministry said it was outraged. "
            "The Foreign Ministry handed a protest note to the Israeli embassy in Cairo.")
    assert sorted(p[:3] for p in pairs(text)) == [("EGY", "ISR", ("protest_note",)), ("NGO", "ISR", ("protest_statement",))]


def test_the_group_after_a_named_organisation_is_a_non_state_actor():
    text = ("The Kenyan Diaspora Alliance met in Boston on Saturday. "
            "The group, in a statement signed by its chairman, condemned the Canadian government's new visa rules.")
    assert [p[:2] for p in pairs(text)] == [("NGO", "CAN")]


def test_the_group_with_no_organisation_before_it_is_not_a_non_state_actor():
    text = ("Foreign ministers met in Boston on Saturday. "
            "The group, in a statement signed by its chairman, condemned the Canadian government's new visa rules.")
    assert ("NGO", "CAN") not in [p[:2] for p in pairs(text)]


def test_a_diaspora_organisation_named_by_its_demonym_is_a_non_state_actor():
    text = "The Ghanaians in Diaspora Association condemned the Canadian government's new visa rules."
    assert [p[:2] for p in pairs(text)] == [("NGO", "CAN")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a fixed group's members come from data/gazetteer/groups.tsv
        ("The Baltic states condemned Russia's decision to hold the drills.", [("EST", "RUS"), ("LTU", "RUS"), ("LVA", "RUS")]),
        ("Moscow condemned the Benelux countries for the new sanctions.", [("RUS", "BEL"), ("RUS", "LUX"), ("RUS", "NLD")]),
        # a counted group is the states the sentences before named, when they name exactly that many
        ("Chile, Peru and Ecuador signed a fishing pact. On Friday China summoned the ambassadors of the three "
         "South American nations.", [("CHN", "CHL"), ("CHN", "ECU"), ("CHN", "PER")]),
        ("Estonia and Latvia expelled two Russian diplomats on Monday. Both countries condemned Moscow's threats.",
         [("EST", "RUS"), ("LVA", "RUS")]),
        # ... and no guess when they do not, or when the group is not the phrase's own
        ("Chile and Peru signed a fishing pact. On Friday China summoned the ambassadors of the three "
         "South American nations.", []),
        ("Russia condemned the two governments.", []),
        ("The Polish minister, who visited the Baltic states last week, condemned Russia's drills.", [("POL", "RUS")]),
    ],
)
def test_a_group_of_states_is_one_incident_per_member(text, expected):
    assert sorted(p[:2] for p in pairs(text)) == expected


def test_the_deaths_of_a_states_citizens_do_not_make_it_the_target():
    text = "Chile condemned the deaths of Peruvian fishermen in the raid."
    assert ("CHL", "PER") not in [p[:2] for p in pairs(text)]


def test_a_verdict_on_them_points_back_to_the_other_party():
    text = ("Togo's president accused Ghana of sheltering rebels on Monday. "
            "Ghana's foreign minister called them \"unacceptable and slanderous\" on Tuesday.")
    assert {(a, t) for a, t, *_ in pairs(text)} == {("TGO", "GHA"), ("GHA", "TGO")}


@pytest.mark.parametrize(("title", "actor"), [("Pakistan lodges protest with India over drone", "PAK"),
                                              ("Britain lodges protest with India over drone", "GBR")])
def test_a_ministry_name_several_states_use_is_the_home_states(title, actor):
    # "the Foreign Office" is Britain's only where the text speaks for Britain or names it.
    text = "The Indian envoy was summoned to the Foreign Office on Monday over the drone flight."
    assert {(a, t) for a, t, *_ in pairs(text, title=title)} == {(actor, "IND")}


@pytest.mark.parametrize("dateline", ["ISLAMABAD: ", " date 2020-11-27 ISLAMABAD: ", "ISLAMABAD, Nov 27 - "])
def test_a_datelines_capital_places_the_foreign_office(dateline):
    text = dateline + "The Foreign Office summoned the Afghan charge d'affaires on Friday over firing at the border."
    assert {(a, t) for a, t, *_ in pairs(text)} == {("PAK", "AFG")}


@pytest.mark.parametrize("text", [
    "South Korea on Friday rejected Japan's renewed protest against its survey near the islets.",
    "A South Korean foreign ministry official said on Friday the country cannot accept Japan's protest over the survey.",
    "South Korea on Friday rejected and strongly condemned the remarks made by the Japanese defence minister.",
    "South Korea strongly and totally rejects the allegation made by Japan's defence ministry on Friday.",  # adverbs first
])
def test_rejecting_or_refusing_another_states_protest_is_a_statement_against_it(text):
    assert {(a, t) for a, t, *_ in pairs(text)} == {("KOR", "JPN")}


def test_a_refusal_only_supposed_is_no_statement():
    assert pairs("South Korea would not accept a protest from Japan over the survey, an official said.") == []


def test_a_foreign_office_in_the_title_is_no_ones_in_particular():
    text = ("ASTANA. The ministry made a statement on Sunday about the remarks of the Kyrgyz president.\n"
            "According to the statement, it expresses a strong protest in connection with the remarks.")
    found = pairs(text, title="Foreign Office makes statement on Kyrgyz president's remarks")
    assert {(a, t) for a, t, *_ in found} == {("KAZ", "KGZ")}


def test_russia_as_some_outlets_print_it_in_lower_case():
    text = "Estonia summoned the russian chargé d'affaires on Monday over the kremlin's claims about its border."
    assert {(a, t) for a, t, *_ in pairs(text)} == {("EST", "RUS")}


def test_a_summons_reported_to_a_committee_is_diplomacy():
    # The committee is where the minister spoke; the summons is in the clause after "that".
    text = ("STOCKHOLM, Nov 27 - The foreign minister, Ana Lind, told a parliamentary committee on Thursday "
            "that her office had summoned the Norwegian ambassador over the fishing dispute.")
    assert one(text)[:3] == ("SWE", "NOR", ("summon",))
    assert pairs("STOCKHOLM, Nov 27 - The parliamentary committee summoned the Norwegian ambassador to testify.") == []


def test_a_note_of_concern_the_envoy_received_is_a_protest_note_to_his_state():
    # The receiver is the target and the note's sender the actor; a bare "note" needs a protest cue.
    text = ("DUSHANBE, April 27 - The Kyrgyz ambassador received a note from the Tajik foreign ministry "
            "expressing deep concern over the detention of two Tajik teenagers by Kyrgyz border guards.")
    actor, target, types, *_ = one(text)
    assert (actor, target) == ("TJK", "KGZ") and "protest_note" in types
    assert pairs("DUSHANBE, April 27 - The Kyrgyz ambassador received a note from the Tajik foreign ministry "
                 "on visa rules for students.") == []
