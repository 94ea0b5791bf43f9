"""The extractor's vocabulary: trigger phrases for each event type and the contexts that
cancel them. Patterns are compiled once; each is matched over the whole article."""

from __future__ import annotations

import re

import ahocorasick_rs

APOS = "['’]"

DIPLOMAT_WORDS = (
    r"(?:ambassadors?|envoys?|charg[ée]s?[ -]d" + APOS + r"?\s?affaires(?:\s+(?:a\.\s?i\.|ad interim))?|"
    r"diplomats?|consuls?(?:[ -]general)?|nuncio|high commissioner|heads? of (?:the )?(?:diplomatic )?mission|"
    r"deputy (?:chief|head) of (?:the )?(?:mission|embassy)|embassy (?:representatives?|officials?|counsellors?)|"
    r"counsellors?|attach[ée]s?|military attach[ée]s?)"
)

MINISTRY = re.compile(
    r"\b(?:(?:foreign|external affairs|foreign affairs) ministry|ministry of (?:foreign|external) affairs|"
    r"foreign office|MFA|MoFA|State Department|Department of State|Quai d" + APOS + r"Orsay|foreign ministries)\b",
    re.I,
)

# How a state says it feels about another state's act: "X is concerned / disappointed by Y's ..."
FEELINGS = ("concerned", "disappointed", "dismayed", "appalled", "alarmed", "outraged")

# Each trigger: (rule name, event type, voice, pattern). Voice says where the actor is:
#   agent    - the grammatical subject protests ("Baku summoned", "Azerbaijan condemns")
#   passive  - the subject is the one summoned or protested against ("was summoned")
#   stimulus - the subject is the thing protested ("the statement causes regret")
#   noun     - a protest note or formal protest named as a thing ("handed a protest note")
_TRIGGERS = [
    # A recall of one's own envoy given a reason ("in protest", "in retaliation for", "over ..."): a recall
    # "for consultations" alone is no protest. First: "summoned its ambassador ... over" is a recall, not a summons.
    ("statement_recall", "protest_statement", "agent", ('recall', 'summon', 'call', 'pull'),
     r"(?:\b(?:recall(?:s|ed|ing)?\s+(?:its|their|his|her|the)|(?:summon(?:s|ed|ing|sed|sing)?|call(?:s|ed|ing)?\s+(?:back|home)|"
     r"pull(?:s|ed|ing)?)\s+(?:its|their))\s+(?:\w+\s+){0,2}(?:ambassador|envoy|high commissioner|charg)|"
     # ... "the X ambassador to Y was recalled as a protest"
     r"\b(?:ambassador|envoy)\b[^;]{0,60}?\b(?:was|were|has\s+been|have\s+been)\s+recalled\b)"
     r"(?=[^;]{0,150}?\b(?:(?:in|as\s+an?|to)\s+protest|in\s+(?:retaliation|response)|over|following|after|because|due\s+to|"
     r"to\s+(?:show|express|voice)|out\s+of))"),
    ("summon_passive", "summon", "passive", ('summon', 'called in'),
     r"\b(?:was|were|been|being|is|are|got)\s+(?:urgently\s+|again\s+|also\s+|immediately\s+)?(?:summoned|summonsed|called in)\b|"
     r"\b(?:was|were|been)\s+called\s+into\s+the\s+(?:\w+\s+){0,2}(?:ministry|office)\b"),  # "called into the Ministry"
    # ... "called the X ambassador in", "invited the X envoy for a conversation" (at the ministry: guarded)
    ("summon_active", "summon", "agent", ('summon', 'call', 'reprimand', 'invit'),
     r"\b(?:summon(?:s|ed|ing|sed|sing)?|call(?:s|ed)\s+in|reprimand(?:s|ed|ing)?)\b|"  # "summonsed": British usage
     r"\b(?:call(?:s|ed)|invit(?:e|es|ed))\s+(?:[\w'’.-]+\s+){0,6}?" + DIPLOMAT_WORDS + r"(?:\s+[A-Z][\w'’-]*){0,3}\s+"
     r"(?:in(?:to\s+(?:his|her|their|the)\s+(?:office|ministry))?(?=\s*(?:[.,;]|(?:on|for|over|after|to|yesterday|today|and)\b))|"
     r"for\s+(?:an?\s+)?(?:conversation|talks)\b)"),
    ("summon_invited", "summon", "passive", ('invited', 'called', 'received', 'asked'),
     # ... "invited to the ministry", not "invited to inspect the guards"
     r"\b(?:was|were|been)\s+(?:urgently\s+)?(?:(?:invited|called|received)\s+(?:to\s+(?=(?:the|a|an|his|her|its|their)\b|(?-i:[A-Z]))|at|by)|"
     r"invited\s+for\s+(?:an?\s+)?(?:conversation|talks)|asked\s+to\s+(?:come|report)\s+to)\b"),
    ("summon_meeting", "summon", "meeting", ('meeting',),
     r"\b(?:a\s+)?meeting\s+with\s+(?:the\s+)?[^.;]{0,60}?" + DIPLOMAT_WORDS + r"[^.;]{0,80}?\b(?:held|took place)\s+(?:at|in)\s+the\s+[^.;]{0,40}?"
     r"(?:Foreign\s+Ministry|Ministry\s+of\s+Foreign\s+Affairs|MFA)"),
    # "démarched the X ambassador" is a verb: roles then read it like one
    ("note_noun", "protest_note", "noun", ('protest', 'démarche', 'demarche', 'representation', 'complaint', 'verbale'),
     r"\b(?:protest\s+(?:notes?|memorand(?:um|a))|(?:notes?|memorand(?:um|a))\s+of\s+protest|diplomatic\s+notes?|protest\s+letters?|letters?\s+of\s+protest|"
     r"(?:formal|official|diplomatic|written|solemn|strongly[- ]worded)\s+(?:(?:formal|written)\s+)?(?:protests?|complaints?)|(?:strong|sharp|stern)\s+protest|"
     r"notes?\s+verbales?(?:\s+of\s+protest)?|d[ée]march(?:es?|ed|ing)|(?:solemn|stern|strong|serious)\s+representations?)\b"),
    ("note_lodged", "protest_note", "agent", ('protest', 'note', 'letter', 'complaint'),
     r"\b(?:lodg(?:e|es|ed|ing)|fil(?:e|es|ed|ing)|deliver(?:s|ed|ing)?|hand(?:s|ed|ing)?(?:\s+over)?|sen[dt]s?|convey(?:s|ed|ing)?|submit(?:s|ted|ting)?|present(?:s|ed|ing)?|receiv(?:e|es|ed|ing))\s+"
     # ... and "handed him a note", "handed the Kyrgyz diplomat a note": its receiver first
     r"(?:(?:him|her|them)\s+|(?:the\s+)?(?:[\w'’.-]+\s+){0,3}?" + DIPLOMAT_WORDS + r"\s+)?"
     r"(?:(?:an?|its|their|his|her|the)\s+)?(?:(?:strong|formal|official|written|firm|sharp|solemn|stern|diplomatic|new|another)\s+)*(?:protest|notes?|letters?|complaints?)\b(?!\s+(?:rall|march|action|movement|camp))"),
    # before statement_protest: "rejected X's protest against ..." is a rejection
    # ... and "cannot accept X's protest": a refusal is a rejection
    ("statement_reject", "protest_statement", "agent", ('reject', 'rebuff', 'dismiss', 'accept'),
     r"\b(?:(?:strongly|resolutely|firmly|categorically|flatly|unreservedly|vehemently|totally|utterly)\s+)?(?:reject(?:s|ed|ing)?|rebuff(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
     r"(?:cannot|can\s+not|can['’]t|will\s+not|won['’]t|does\s+not|do\s+not|will\s+never)\s+accept)\s+[“\"‘]?(?:(?:the|this|that|these|those|such|its|his|her|their|all|any|a|an)\s+)?"
     r"(?:(?!and\s+(?:\w+ly\s+)?\w+ed\b)(?:as\s+)?[“\"‘]?[\w'’-]+[”\"]?,?\s+){0,8}?[“\"‘]?(?:protests?|statements?|claims?|accusations?|remarks?|comments?|allegations?|resolutions?|decisions?|reports?|attempts?|interference|insinuations?|assertions?|objections?|words|criticism|speculations?|position|accusation|conclusions?|recognition|vote|bill|measures?|references?|narratives?|declarations?|annexation|arrival|presence|deployment|manoeuvres|maneuvers|exercises|drills|incursions?|provocations?|violations?|responses?|reactions?|rulings?|verdicts?|referend(?:um|ums|a)|memo(?:randum)?|deal)\b"),
    ("statement_protest", "protest_statement", "agent", ('protest', 'complain'),
     r"\b(?:(?:strongly|vehemently|firmly|sharply|sternly|categorically|resolutely|publicly|formally|officially)\s+)?protest(?:s|ed|ing)?\s+"
     r"(?:(?:strongly|publicly|formally|officially|again|sharply|vehemently|on\s+\w+day|yesterday|today)\s+)?"
     r"(?:against|over|at|to|the|this|that|these|those|its|their|his|her|a|an|with|after)\b|"
     r"\b(?:formally\s+|officially\s+)?complain(?:s|ed|ing)?\s+(?:formally\s+|officially\s+)?to\b|"  # "formally complained to Oslo"
     r"\bprotest(?:s|ed|ing)?\s+(?=(?-i:[A-Z])(?!\w+day\b)|\w+['’]s\b)"),
    ("statement_expressed", "protest_statement", "agent", ('regret', 'disappointment', 'indignation', 'outrage', 'displeasure', 'dissatisfaction', 'protest', 'discontent', 'objection', 'bewilderment', 'condemnation', 'rejection', 'dismay', 'anger', 'surprise', 'astonishment', 'concern'),
     r"\b(?:express(?:es|ed|ing)?|voic(?:e|es|ed|ing)|reiterat(?:e|es|ed|ing)|conve(?:y|ys|yed|ying)|registered|stated|communicat(?:e|es|ed|ing)|lodg(?:e|es|ed|ing))\s+(?:on\s+[A-Z]\w+\s+)?(?:to\s+[\w\s]{1,40}?\s+)?(?:[\"“‘']?(?:its|his|her|their|a|an|the|our|deep|strong|strongest|serious|sharp|profound|extreme|great|utmost|resolute|firm|[A-Z][\w-]+['’]s|(?-i:[A-Z][a-z]+(?:an|ese|ish|i))|(?:country|government|kingdom|nation)['’]s)\s+)*[\"“‘']?"
     r"(?:regret|disappointment|indignation|outrage|displeasure|dissatisfaction|protest|discontent|objection|bewilderment|condemnation|rejection|dismay|anger|surprise|astonishment)\b"
     # ... "raised its objection with Seoul": raised to someone (the move "raised concerns in Canberra" is a stimulus)
     r"|\brais(?:e|es|ed|ing)\s+(?:(?:its|their|his|her|our|a|an|the|strong|serious|grave|deep|formal|firm)\s+)*"
     r"(?:objections?|protests?|concerns?)\s+(?:with|to)\b"),
    # Concern is weak: roles/statements.py takes it only from a state about another state's act ("X's arrest of ...").
    # ... or a state "is (deeply) concerned / disappointed by" it (only as a predicate of the state)
    ("statement_concern", "protest_statement", "agent", ('concern', *FEELINGS),
     r"\b(?:express(?:es|ed|ing)?|voic(?:e|es|ed|ing)|reiterat(?:e|es|ed|ing)|conve(?:y|ys|yed|ying)|registered)\s+"
     r"(?:[\"“‘']?(?:its|his|her|their|a|an|the|our|deep|grave|serious|strong|great|profound|extreme|utmost)\s+)*[\"“‘']?concerns?\b|"
     r"\b(?:" + "|".join(FEELINGS) + r")\b(?=[\"”’']?\s+(?:about|by|over|at|that)\b)"),
    # "the visit drew (strong) protests from X": a reaction of unknown form, a statement
    ("statement_stimulus", "protest_statement", "stimulus", ('regret', 'disappointment', 'indignation', 'outrage', 'bewilderment', 'protest', 'dismay',
                                                            'condemnation', 'rebuke'),
     r"\b(?:caus(?:e|es|ed|ing)|provok(?:e|es|ed|ing)|arous(?:e|es|ed)|trigger(?:s|ed)|dr(?:aw|aws|ew|awn)|spark(?:s|ed)?|prompt(?:s|ed)?|"
     r"met\s+with)\s+"
     r"(?:(?:serious|deep|strong|sharp|swift|great|sincere|profound|our|a|an|the)\s+)*"
     r"(?:regret|disappointment|indignation|outrage|bewilderment|surprise\s+and\s+regret|protests?|dismay|condemnation|rebukes?)\b"),
    ("statement_condemn", "protest_statement", "agent", ('condemn', 'denounc', 'deplor', 'slam', 'rebuk', 'blast', 'lambast', 'castigat', 'oppos', 'repudiat',
                                                          'decr', 'chid', 'assail', 'reproach', 'berat', 'scold', 'excoriat', 'censur'),
     r"\b(?:(?:strongly|resolutely|firmly|categorically|harshly|sharply|vehemently)\s+)?(?:condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|deplor(?:e|es|ed|ing)|slam(?:s|med|ming)?|rebuk(?:e|es|ed|ing)|blast(?:s|ed)?|lambast(?:s|ed)?|castigat(?:e|es|ed)|oppos(?:e|es|ed|ing)|repudiat(?:e|es|ed|ing)|"
     r"decr(?:y|ies|ied|ying)|chid(?:e|es|ed|ing)|assail(?:s|ed|ing)?|reproach(?:es|ed|ing)?|berat(?:e|es|ed|ing)|"
     r"scold(?:s|ed|ing)?|excoriat(?:e|es|ed|ing)|censur(?:es|ed|ing))\b"),
    ("statement_accuse", "protest_statement", "agent", ('accus',),
     r"\b(?:publicly\s+|openly\s+|again\s+)?accus(?:e|es|ed|ing)\b(?=[^.;]{0,80}?\bof\b)"),
    ("statement_blame", "protest_statement", "agent", ('blam',),
     r"\bblam(?:e|es|ed|ing)\b(?=\s+(?:each other|one another)|[^.;]{0,80}?\bfor\b)"),
    ("statement_trade", "protest_statement", "agent", ('trad', 'exchang', 'swap'),
     r"\b(?:(?:trad|exchang)(?:e|es|ed|ing)|swap(?:s|ped|ping)?)\s+(?:(?:sharp|angry|bitter|verbal|fresh|harsh)\s+)?"
     r"(?:barbs|accusations|insults|jibes|recriminations|criticism|charges|blame)\b"),
    ("statement_characterize", "protest_statement", "agent",
     ('provocat', 'mistake', 'insult', 'interference', 'slander', 'hostile', 'aggression', 'unfriendly', 'fabricat', 'null and void', 'blasphem', 'violation', 'war criminal',
      'rubbish', 'nonsense', 'lie', 'baseless', 'groundless', 'absurd', 'shameful', 'disgrace', 'hypocri', 'meddling', 'interventionist', 'breach', 'illegal', 'illegitimate', 'unlawful'),
     r"\b(?:call(?:s|ed|ing)?(?!\s+(?:for|on|upon)\b)|describ(?:e|es|ed|ing)|term(?:s|ed)?|brand(?:s|ed)?|label(?:s|led|ed)?|denounc(?:e|ed|es)\s+as)\b"
     r"(?=[^.;]{0,90}?\b(?:provocat\w*|(?:historic(?:al)?\s+|grave\s+|serious\s+)?mistake|insult\w*|interference|slander\w*|"
     r"rubbish|nonsense|lies?|baseless|groundless|absurd|shameful|disgrace(?:ful)?|hypocri\w+|meddling|interventionist|illegal|illegitimate|unlawful|"
     r"hostile\s+(?:acts?|steps?|moves?)|(?:act\s+of\s+|direct\s+|blatant\s+|flagrant\s+|open\s+|brazen\s+)aggression|unfriendly\s+(?:act|step|move)|fabricat\w*|null and void|blasphem\w*|"
     r"(?:gross|flagrant|blatant|grave|serious)\s+(?:violation|breach)|(?:violation|breach)\s+(?:of|to)\s+(?:[\w'’]+\s+){0,3}?(?:sovereignty|territorial integrity)|war\s+criminal)\b)"),
    ("statement_criticize", "protest_statement", "agent", ('critici', 'hit back', 'hit out', 'lash', 'object', 'exception'),
     r"\b(?:sharply\s+|strongly\s+|harshly\s+)?(?:criticiz|criticis)(?:e|es|ed|ing)\b|\bhit\s+(?:back|out)\s+at\b|"
     # "stepped up (its) criticism of X": the criticism named as a thing, by its light verb
     r"\b(?:voic|express|level|stepp?|renew|intensif|sharpen|direct)\w*\s+(?:up\s+)?(?:(?:its|his|her|their|sharp|strong|harsh|fresh|scathing)\s+)*"
     r"criticism\b(?=\s+(?:of|at|against)\b)|\blash(?:ed|es|ing)?\s+out\s+at\b|\bobject(?:s|ed)?\s+to\b|"
     r"\bt(?:ake|akes|ook|aken|aking)\s+(?:strong\s+|serious\s+|great\s+)?exception\b"),
    ("statement_regret", "protest_statement", "agent", ('regret', 'deplor', 'indignation', 'disappointment', 'outrage', 'bewilderment'),
     r"\b(?:deeply\s+|strongly\s+|sincerely\s+)?(?:regrets|regretted|deplores|deplored)\b|\b(?:we|I)\s+(?:deeply\s+|strongly\s+)?regret\b|"
     r"\b(?:notes|noted|note|learned|received|met)\s+(?:\w+\s+)?with\s+(?:deep\s+|great\s+|serious\s+)?(?:regret|indignation|disappointment|outrage|bewilderment)\b"),
    # Only a joint statement's, with its signatories named (roles/statements.py): "the declaration of A and B urges C to ...".
    ("statement_urge", "protest_statement", "agent", ('urg', 'call'),
     r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:on|upon))\b"),
    ("statement_unacceptable", "protest_statement", "stimulus",
     ('unacceptable', 'inadmissible', 'impermissible', 'intolerable', 'regrettable', 'deplorable', 'disappointing', 'outrageous', 'violation', 'interference', 'hostile',
      'affront', 'violat', 'provocat', 'unjustifi', 'breach', 'responsib'),
     r"\b(?:(?:absolutely|completely|totally|utterly|deeply|simply|categorically|also|wholly)\s+)?"
     r"(?:unacceptable|inadmissible|impermissible|intolerable|regrettable|deplorable|disappointing|outrageous|unjustified|unjustifiable)\b|"
     r"\b(?:violation|interference|breach)\s+(?:of|in|to)\s+(?:[\w'’]+\s+){0,3}?(?:sovereignty|territorial integrity|(?:internal\s+)?affairs|international law)\b|"
     r"\b(?:gross|flagrant|blatant)\s+(?:violation|breach)\b|"
     r"\baffront\b|\b(?:open|outright|deliberate|blatant|flagrant|dangerous|unprecedented|unacceptable)\s+provocation\b|"
     r"\bviolat(?:e|es|ed|ing)\s+(?:[\w'’]+\s+){0,3}?(?:sovereignty|territorial integrity|airspace|international law)\b|"
     r"\bhostile\s+(?:act|step|move)s?\b|"
     # blame laid on a state: "X is fully responsible for", "bears all responsibility", "holds X responsible"
     r"\b(?:fully|entirely|solely|totally|wholly|directly)\s+responsible\b|"
     r"\bbears?\s+(?:all|full|the\s+full|the\s+entire|entire|sole|the\s+sole)\s+responsibility\b|"
     r"\b(?:hold|holds|held|holding)\s+(?:[\w'’-]+\s+){1,6}?responsible\b"),
]
TRIGGERS = {name: (event_type, voice, re.compile(pattern, re.I)) for name, event_type, voice, _, pattern in _TRIGGERS}
# Verbs some triggers cannot match without besides their stems (guards.py): many sentences
# have the stem ("note", "called", "regret") and none of these, and skip the regex.
TRIGGER_ALSO_NEEDS = {
    "summon_invited": ("was", "were", "been"),
    "summon_meeting": ("held", "took place"),
    "note_lodged": ("lodg", "fil", "deliver", "hand", "send", "sent", "convey", "submit", "present", "receiv"),
    "statement_expressed": ("express", "voic", "reiterat", "convey", "registered", "stated", "communicat", "lodg", "rais"),
    "statement_concern": ("express", "voic", "reiterat", "convey", "registered", *FEELINGS),
    "statement_characterize": ("call", "describ", "term", "brand", "label", "denounc"),
    "statement_stimulus": ("caus", "provok", "arous", "trigger", "draw", "drew", "spark", "prompt", "met"),
}

# An appeal ("urged X to") counts only in a sentence that names a joint text (roles/).
JOINT_TEXT_WORDS = ("statement", "declaration", "communiq")

# Triggers the role rules (roles/) read in their own way:
# a protest only as a verb: "condemn", "accuse" read as a noun is a headline the parser could not read;
VERB_ONLY = ("statement_condemn", "statement_accuse", "statement_criticize", "statement_reject", "statement_blame")
# "expressed protest to him": him is the diplomat last named ("accused her" may be anyone), and
# an envoy may express it for his state;
RECIPIENT_RULES = ("statement_protest", "statement_expressed")
# the noun "protest" is one only as what these verbs convey ("lodged a protest"), not as a motive
# ("expelled X in protest at") or a street protest.
CONVEYING = ("lodg", "summon", "call", "hand", "deliver", "sen", "convey", "submit", "issu", "express", "voic", "regist", "made", "mak")

# Each trigger's regex can only match where one of its stems occurs (lowercase). One
# Aho-Corasick pass over the article finds the stems, so sentences without any are never
# read by the regexes; tests/test_extraction.py checks the stems cover their triggers.
STEMS: dict[str, set[str]] = {}
for _name, _type, _voice, _stems, _pattern in _TRIGGERS:
    for _stem in _stems:
        STEMS.setdefault(_stem, set()).add(_name)
_STEM_LIST = sorted(STEMS)
_STEM_AUTOMATON = ahocorasick_rs.AhoCorasick(_STEM_LIST, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)


def trigger_candidates(lowered_text: str) -> list[tuple[int, set[str]]]:
    """(position, trigger names) for every stem occurrence in the lowercased text."""
    return [(start, STEMS[_STEM_LIST[index]])
            for index, start, _ in _STEM_AUTOMATON.find_matches_as_indexes(lowered_text, overlapping=True)]

# A sentence with one of these is about something that is not a state's protest.
NOT_A_PROTEST = re.compile(
    r"\b(?:credentials|(?:letters?|copy) of credence|courtesy (?:call|visit)|farewell|congratulat\w*|condolence\w*|"
    r"invited to (?:a|an|the) (?:[\w-]+ ){0,3}?(?:ceremony|reception|gala|banquet|dinner|celebration|concert|festival))\b",
    re.I,
)
NOT_A_PROTEST_WORDS = ("credentials", "credence", "courtesy", "farewell", "congratulat", "condolence", "invited to")  # guards.py
# Street protests: a sentence with these is about demonstrators when its trigger is the
# word "protest" itself (a state condemning an attack by protesters still counts).
STREET_PROTEST = re.compile(
    r"\b(?:protesters|demonstrators|demonstrations?|rall(?:y|ies)|picket\w*|took to the streets|"
    r"protest (?:action|march|rally|camp)|staged? (?:a |an )?protest|held (?:a |an )?protest|protests? (?:erupted|broke out|spread)|"
    r"(?:protest\w*|gathered|rallied|marched) (?:[\w'’-]+ ){0,8}?(?:outside|in front of) (?:the )?(?:[\w'’-]+ ){0,3}?"
    r"(?:embassy|consulate|ministry|mission|parliament|office|building|residence))\b",
    re.I,
)
# A count of protests is a tally, not one incident: "a total of 20 diplomatic protests", "445 protests since 2020".
TALLY_BEFORE = re.compile(r"\b(?:(?<![\d,.])(?:[2-9]|\d{2,4})|dozens\s+of|hundreds\s+of|numerous|multiple)\s+(?:\w+\s+)?$", re.I)
# Denials and rumours: "denied reports that Tehran had summoned ...".
DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:ed|es)? (?:the )?reports?|rumou?rs?|refut(?:e|ed|es))\b", re.I)
DENIAL_WORDS = ("den", "dismiss", "rumo", "refut")
# A bare "note" handed over is a protest note only with one of these in the sentence.
PROTEST_CUE = re.compile(r"\bprotest|\bcomplain|\bobject|displeasure|discontent|condemn|indignation|dissatisfaction|unacceptable|inadmissib|oppos|\bconcern|"
                         r"disagree|surprise", re.I)
# ... or one sent "over" something ("sent a diplomatic note to X over the fines"): a grievance.
NOTE_GRIEVANCE = re.compile(r"[^.;]{0,60}?\b(?:over|against)\b", re.I)
# A complaint to a UN body against a state is a statement; one to a court or trade body is no protest.
UN_BODY = re.compile(r"\b(?:U\.?N\.?|United Nations|Security Council|Secretary[- ]General|General Assembly)\b")
TRIBUNAL = re.compile(r"\b(?:WTO|ICJ|Interpol|World Trade Organi[sz]ation|International Court|tribunal|arbitration)\b", re.I)
# The protest a summons was for ("summoned X to protest ...", "... to face a resolute protest", "... and
# recorded its protest"): the guideline codes a protest lodged at a summons as a note too.
PROTEST_AT_SUMMONS = re.compile(
    r"[^.;]{0,80}?\b(?:to\s+(?:protest\b|(?:lodge|register|record|convey|issue|deliver|hand|present|face|express)\s+"
    r"(?:\w+\s+){0,3}?(?:protests?|complaints?|d[ée]marches?)\b)|and\s+(?:lodged|recorded|registered|conveyed|issued|presented|"
    r"handed|delivered)\s+(?:\w+\s+){0,4}?(?:protests?|complaints?|d[ée]marches?)\b)", re.I)
# An invitation "for talks" is a summons only to the ministry.
INVITATION = re.compile(r"conversation|talks|asked", re.I)
# "summoned its ambassador in X for consultations": a recall of one's own envoy, not a summons.
CONSULTATIONS = re.compile(r"^(?:(?!\band\b)[^.;]){0,100}?\bfor\s+(?:the\s+purpose\s+of\s+)?(?:immediate\s+|urgent\s+)?consultations?\b", re.I)
# A summons of these is a court or police matter, not diplomacy; as a subject they speak for no government.
JUDICIAL = re.compile(
    r"\b(?:court|courts|prosecutor\w*|investigat\w+|police|detectives?|questioning|interrogat\w+|witness\w*|testify|"
    r"trial|judges?|tribunal|parliamentary committee|hearing|jury|subpoena\w*)\b",
    re.I,
)
# Nouns after which a date names the thing protested, not the protest ("the visit on Nov. 3").
CAUSE_NOUNS = re.compile(
    r"\b(?:visit|visits|trip|statement|statements|remarks|comments|decision|resolution|vote|meeting|speech|"
    r"interview|briefing|article|report|law|bill|election|elections|referendum|attack|incident|shelling|"
    r"circular|treaty|agreement|declaration|ceremony|conference|session|forum|event|arrest|detention|raid|crash)\b",
    re.I,
)
CAUSE_MARKERS = re.compile(
    r"\b(?:over|regarding|concerning|about|after|following|because\s+of|due\s+to|in\s+connection\s+with|"
    r"with\s+regard\s+to|in\s+response\s+to|in\s+relation\s+to|in\s+protest\s+(?:against|at|over)|against|"
    r"on\s+the\s+(?:occasion|eve)|related\s+to|amid|for)\b",
    re.I,
)
SPEECH_VERBS = re.compile(
    r"\b(?:said|says|told|tells|stated|states|added|noted|stressed|emphasi[sz]ed|underlined|declared|announced|"
    r"reads|read|wrote|tweeted|posted)\b",
    re.I,
)
# Words before a trigger that put the incident in the background of the article.
BACKGROUND = re.compile(
    r"^\s*(?:(?:earlier|previously)(?!\s+(?:this|today|in the day|on\s+\w+day))|in the past|back in|before that|last year|"
    r"at the time|in a similar|similarly|also in|this is not the first|it is not the first|recall that|"
    r"in (?:19|20)\d\d\b)|"
    r"\b(?:previously|in the past)\b",
    re.I,
)
NON_STATE_GROUP = re.compile(
    r"\b(?:(?<!international )(?<!economic )communit(?:y|ies)|diaspora|NGOs?|non-governmental|organi[sz]ations?|associations?|part(?:y|ies)|"
    r"movements?|coalition|activists|civil society|foundation|committee of|council of elders|public council|"
    r"youth|veterans|lobby|human rights (?:group|defenders|centre|center)|church|diocese|patriarch\w*|"
    r"catholicos|mother see|clergy|synod|mufti\w*|religious)\b",
    re.I,
)
# International bodies speak for no state and are not NGOs: the code list has none for them.
INTERNATIONAL_BODY = re.compile(
    r"\b(?:United Nations|U\.?N\.?|Security Council|General Assembly|Secretary[- ]General|African Union|AU|Arab League|"
    r"ECOWAS|SADC|OSCE|NATO|ASEAN|OIC|Organi[sz]ation of (?:Islamic Cooperation|American States)|Human Rights Council|"
    r"international community|observ(?:er|ation) missions?)\b")
# Plural nouns for states: "the two countries", "11 governments".
STATE_PLURALS = frozenset({"states", "countries", "nations", "governments"})
# "the EU member states", "several EU countries", "EU capitals": the members, not the Union.
MEMBER_NOUNS = STATE_PLURALS | {"members", "capitals"}
# Several states, no one of them (roles/): "the envoys of those countries", "summoned to several ministries".
GROUP_NOUNS = STATE_PLURALS | {"ministries"}
# "the protest note reads/says": the note is being quoted, not handed over again.
QUOTING_NOTE = re.compile(r"\s+(?:reads|read|says|said|states|stated|notes|noted|adds|added|underlined|stressed|continues)\b", re.I)
# Nouns and pronouns that stand for a state organ speaking ("the ministry condemned").
STATE_ORGAN_NOUN = re.compile(
    r"\b(?:ministry|ministries|minister|spokes\w+|president|premier|government|cabinet|embassy|diplomats?|"
    r"officials?|MFA|parliament|lawmakers|deputies|senate|assembly|duma|chancellor|(?:under-?)?secretary|director[- ]general|department|"
    r"foreign office|kremlin|white house|leaders?|authorities|state)\b",
    re.I,
)
STATE_ORGAN = re.compile(STATE_ORGAN_NOUN.pattern + r"|\b(?:we|he|she|they|it)\b", re.I)
# Habitual or repeated protests are not one incident ("a practice Baku has denounced on many occasions").
HABITUAL = re.compile(
    r"\b(?:on (?:many|several|numerous|multiple) occasions|repeatedly|regularly|routinely|time and again|"
    r"time after time|every time|whenever|each time|has long|have long|for years|in the past|over the years|on occasion|used to|"
    r"often|frequently|constantly|persistently|(?:has|have)\s+been\s+\w+ing)\b", re.I)  # "have been submitting (protests)"
HABITUAL_WORDS = ("occasion", "repeatedly", "regularly", "routinely", "time", "whenever", "long", "years", "in the past", "used to",
                  "often", "frequently", "constantly", "persistently", "been")
