"""A candidate sentence's dependency parse with the gazetteer's states attached to its
tokens, and the grammatical questions roles/ asks of it: which phrase is the subject, the
object, the agent; which states a phrase names; whether a verb is real or only planned.

Labels are ClearNLP's, as spaCy's English models give them (nsubj, nsubjpass, agent, dobj,
dative, pobj, poss, conj, aux, neg, ...).
"""

from __future__ import annotations

import re
from itertools import islice

from pipeline.dates.expressions import MONTHS, WEEKDAYS
from pipeline.gazetteer import Entity

DIPLOMAT_WORDS = frozenset({
    "ambassador", "ambassadors", "envoy", "envoys", "chargé", "charge", "affaires", "d'affaires",
    "diplomat", "diplomats", "consul", "consuls", "consul-general", "nuncio", "commissioner", "attaché",
    "attache", "attachés", "counsellor", "counselor", "counsellors",
})
# Nouns that sit in a host country: "the embassy in Lima", "the envoy to Oslo" (to/in/at: the host).
POST_WORDS = DIPLOMAT_WORDS | {"embassy", "embassies", "mission", "consulate", "legation"}
EMBASSY_WORDS = frozenset({"embassy", "embassies", "mission", "consulate", "delegation"})  # "an attaché at the X embassy": X
# Prepositions that introduce what a protest is about, never who protests or to whom.
CAUSE_PREPS = frozenset({"over", "about", "after", "following", "regarding", "concerning", "amid", "because",
                         "due", "since", "during", "before", "despite"})
# "summoned the envoy in protest at / in response to X's ...": such an "in" phrase on a post is
# why, not where (the parser hangs it on the diplomat), and names no host.
MOTIVE_NOUNS = frozenset({"protest", "protests", "response", "reaction", "retaliation", "connection", "view"})
MODALS = frozenset({"may", "might", "could", "would", "should", "will", "shall", "can", "must", "'ll", "'d", "wo", "ca"})
HYPOTHETICAL = frozenset({"may", "might", "could", "would", "should", "'d"})  # "would not accept": a stance, not a refusal
# Verbs whose complement or object is a protest not yet made ("is preparing a note", "urged
# Baku to summon", "threatened to recall"). Matched on the lowercased word's start.
PLANNING = ("plan", "intend", "prepar", "threat", "consider", "want", "seek", "sought", "urg", "ask", "demand",
            "expect", "propos", "promis", "vow", "refus", "declin", "draft", "mull", "weigh", "set", "going",
            "call", "press", "hope", "wish", "aim", "ready", "could", "may", "might", "order", "instruct")
# Verbs that summon a diplomat, matched on the lowercased word's start ("summoned X to lodge a protest").
SUMMONING = ("summon", "call", "invit")
# Verbs that cause what their clause tells: "(the remarks) prompted Tokyo to summon": it did.
CAUSING = ("prompt", "led", "forc", "spurr", "compell")
# Verbs that stop a text: "vetoed a resolution condemning X" is no condemnation by the vetoer (one word
# each: a token is matched; "voted against a resolution" hangs the noun on "against", no verb).
BLOCKING = ("veto", "block", "reject", "oppos", "thwart", "abstain")
SPEECH_VERBS = frozenset({
    "said", "says", "say", "declare", "declares", "declared", "told", "tells", "stated", "states", "added", "adds", "noted",
    "stressed", "emphasized", "emphasised", "underlined", "announced", "wrote", "tweeted", "posted", "reads", "read",
    "insisted", "argued", "warned", "recalled", "recall"})
# Heads whose "of" phrase names whom they stand for ("the ministry of X", "the envoys of A and
# B"); "the organizers of the X protests" stands for no state.
ORGAN_WORDS = frozenset({
    "ministry", "minister", "ministers", "government", "governments", "president", "spokesman", "spokeswoman",
    "spokesperson", "parliament", "office", "authorities", "leader", "leaders", "premier", "cabinet", "senate",
    "assembly", "department", "chancellor", "secretary", "king", "countries", "states", "nations", "members",
    "representative", "representatives", "side", "delegation", "head", "heads", "chief", "officials", "official",
    "republic", "kingdom", "people", "mfa", "foreign", "affairs", "presidency", "deputy", "council", "union",
    "director", "general",  # "director-general of the X ministry", "consul general of X"
    "nation", "country",  # "the Baltic nation of Lithuania"
})
STATEMENT_WORDS = frozenset({"statement", "statements", "communique", "communiqué"})
REPORTING_VERBS = frozenset({"confirmed", "reported", "revealed", "disclosed", "explained", "learned", "learnt", "mentioned",
                             "indicated", "acknowledged", "admitted", "claimed", "clarified", "specified"})
PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "which", "who", "that", "this"})
# Relations through which a verb's negation or modality reaches the trigger.
CLIMB = frozenset({"dobj", "pobj", "prep", "pcomp", "compound", "amod", "acomp", "oprd", "attr", "nsubjpass", "xcomp",
                   "conj", "ccomp"})
RELATIVES = frozenset({"which", "who", "that"})
# A verb inside a phrase whose object is still what is protested ("a note protesting X's drills");
# any other verb's object is whom the act hit ("attempts to burn the X flag"), not who did it.
PROTEST_VERBS = ("protest", "condemn", "oppos", "reject", "denounc", "critici", "accus", "object", "demand")


class Parsed:
    """One parsed sentence with the gazetteer's states on its tokens. Offsets in and out are
    the article's."""

    def __init__(self, doc, offset: int, entities: list[Entity]):
        self.doc, self.offset = doc, offset
        self.entity_of: dict[int, Entity] = {}
        self.head_of: dict[int, int] = {}  # token -> its entity's last token, where conjunctions attach
        for entity in entities:
            span = doc.char_span(entity.start - offset, entity.end - offset, alignment_mode="expand")
            for token in span or ():
                self.entity_of.setdefault(token.i, entity)
                self.head_of.setdefault(token.i, span[-1].i)

    def key_token(self, start: int, end: int):
        """The syntactic head of the trigger's words: the one whose head lies outside them."""
        inside = [t for t in self.doc if start <= t.idx + self.offset < end]
        ids = {t.i for t in inside}
        heads = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
        # "strongly and totally rejects": an adverb coordinated outside the words is not their head
        return next((t for t in heads if not t.tag_.startswith("RB")), heads[0] if heads else inside[0] if inside else None)

    def code(self, token) -> str | None:
        return getattr(self.entity_of.get(token.i), "code", None)

    def kind(self, token) -> str:
        return getattr(self.entity_of.get(token.i), "kind", "")

    def is_diplomat(self, token) -> bool:
        if self.kind(token) == "official":
            return is_envoy(self.entity_of[token.i])
        return token.lower_ in DIPLOMAT_WORDS

    def states(self, head, hosts: list[str] | None = None, patients: list | None = None) -> list[str]:
        """The states a phrase names, in order: the head's own ("Kenya"), its modifiers'
        ("the Dutch embassy", "Norway's envoy"), its "of"/"from" phrases ("the envoys of A, B
        and C"), its conjuncts; not what it is about (over/after ...), nor asides. A post's
        to/in/at phrase names its host ("the embassy in Peru"), collected in hosts; the states
        an act in it was done to ("attempts to burn the X flag"), in patients."""
        found: list[tuple[str, int]] = []
        self._walk(head, found, hosts, True, 0, patients=patients)
        return list(dict.fromkeys(code for code, _ in found))

    def first_states(self, head, hosts: list[str] | None = None, acl: bool = True, last: str | None = None,
                     strict: bool = False, exclude=(), relcl: bool = False) -> list[str]:
        """The first state a phrase names and those coordinated with it ("the envoys of A, B
        and C", "A, B and C summoned"), not every state it mentions ("the visit of X to Y").
        strict: for who acts, "of" counts only after an organ ("the ministry of X")."""
        found: list[tuple[str, int]] = []
        self._walk(head, found, hosts, acl, 0, strict=strict, relcl=relcl)
        found = sorted((pair for pair in found if pair[0] not in exclude), key=lambda pair: pair[0] == last)
        if not found:
            return []
        first = self.doc[found[0][1]]
        # "Canada, the United States and the EU condemned": the parser takes the second state for the
        # first's apposition, but a state is no other state's apposition: it is a list
        members = [first, *(a for a in first.children if a.dep_ == "appos" and a.i in self.entity_of
                            and "(" not in (a.left_edge.text, a.doc[a.left_edge.i - 1].text))]  # "Taiwan (China)" is no list
        group = {t.i for c in members for t in (c, *c.conjuncts)}  # "A and B's envoys"
        if first.dep_ == "amod" and first.head.tag_ == "NNS":  # "the Russian, Chinese and Serbian envoys"
            group |= {t.i for c in first.head.children if c.dep_ == "amod" for t in (c, *c.conjuncts)}
        # ... which the parser may read "the Irish" and "(Spanish and Norwegian) ambassadors" coordinated or in apposition
        nouns = (*first.conjuncts, *(a for a in first.children if a.dep_ == "appos"))
        group |= {t.i for noun in nouns if noun.tag_ in ("NNS", "NNPS") and noun.i not in self.entity_of
                  for c in noun.children if c.dep_ == "amod" for t in (c, *c.conjuncts)}
        return list(dict.fromkeys([found[0][0], *(code for code, i in found[1:] if i in group)]))

    def _placed(self, token) -> bool:
        """A ministry the gazetteer gives one state ("the Foreign Office") that the text places
        in another: "the Zambian Foreign Office", "the Foreign Office in Islamabad"."""
        own = self.entity_of[token.i]
        if own.kind != "ministry":
            return False
        head = self.doc[self.head_of[token.i]]
        near = [c for c in head.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        near += [o for p in head.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children if o.dep_ == "pobj"]
        return any((other := self.entity_of.get(t.i)) is not None and other.code != own.code for t in near)

    def _walk(self, token, found, hosts, acl, depth, strict=False, relcl=False, patients=None) -> None:
        if token is None:  # no phrase: no states
            return
        if token.i in self.entity_of and not self._placed(token):
            found.append((self.entity_of[token.i].code, self.head_of[token.i]))
        if depth > 8:
            return
        post = token.lower_ in POST_WORDS
        patient = depth > 0 and token.tag_.startswith("VB") and not token.lower_.startswith(PROTEST_VERBS)
        for child in token.children:
            dep = child.dep_
            if patient and dep in ("dobj", "dative"):  # only a "by" phrase in it names a doer
                for deed in (g for g in child.children if g.dep_ == "acl" and any(a.dep_ == "agent" for a in g.children)):
                    self._walk(deed, found, hosts, acl, depth + 2, strict, relcl, patients)
                if patients is not None:
                    self._walk(child, patients, None, acl, depth + 1, strict, relcl)
                continue
            if dep in ("advcl", "punct", "cc", "det", "ccomp", "parataxis") or (dep == "acl" and not acl) or (
                    dep == "relcl" and not (relcl and _restrictive(child))):
                continue
            if dep == "prep":
                word = child.lower_
                if word in CAUSE_PREPS:
                    continue
                if post and word == "in" and any(o.lower_ in MOTIVE_NOUNS for o in child.children):
                    continue
                if post and word in ("to", "in", "at") and not any(o.lower_ in EMBASSY_WORDS for o in child.children):
                    if hosts is not None:
                        hosts.extend(self.states(child))
                    continue
                if strict and word in ("of", "from") and not (post or token.lower_ in ORGAN_WORDS or token.i in self.entity_of
                                                              or token.lower_ in STATEMENT_WORDS):  # "a statement from X"
                    continue
            # a list is not nesting: "A, B, C, ... and K" is one level however long
            self._walk(child, found, hosts, acl, depth + (dep != "conj"), strict, relcl, patients)


def is_envoy(entity: Entity) -> bool:
    """An official (kind "official") the text names as a diplomat ("Ambassador X")."""
    return any(w in (entity.role or "").lower() for w in ("ambassador", "envoy", "charg", "consul", "commissioner"))


def _restrictive(relative) -> bool:
    """"the resolution that X adopted" (which one: part of the phrase), not ", which ..." (an aside)."""
    start = relative.left_edge.i
    return start == 0 or relative.doc[start - 1].text not in (",", "—", "–", "(")


DASHES = ("–", "—", "--", "―")


def subject_of(verb, depth: int = 0):
    """The subject of a verb, also when it is shared ("summoned X and handed him a note",
    "..., accusing Y of ...") or is the noun a clause hangs on ("a statement condemning ...")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if len(subjects) > 1 and any(t.text in DASHES for t in verb.doc[subjects[0].i:subjects[-1].left_edge.i]):
        subjects = subjects[-1:]  # "(PRESS RELEASE) – X condemned": a dateline the parser took for a subject
    if subjects:
        return verb.head if subjects[0].lower_ in RELATIVES and verb.dep_ == "relcl" else subjects[0]
    if verb.dep_ == "xcomp" and verb.head.lower_.startswith(CAUSING) and (caused := child(verb.head, "dobj")) is not None:
        return caused  # "prompted Tokyo to summon": Tokyo summons
    if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head != verb:
        return subject_of(verb.head, depth + 1)
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.head != verb.head and (
            verb.head.lower_ == "by" or verb.head.lower_ == "in" and verb.head.head.lower_.startswith("join")):
        # "Rabat responded by slamming ...": the means' doer; "A and B joined C in condemning": A and B
        return subject_of(verb.head.head, depth + 1)
    if verb.dep_ in ("acl", "relcl"):
        # "a statement condemning ...": the statement's author, named on it or as the subject
        # of the verb that issued it ("the parliament adopted a statement condemning ...").
        noun = verb.head
        named = any(c.dep_ in ("poss", "amod", "compound") and c.text[:1].isupper() for c in noun.children) or any(
            c.dep_ == "prep" and c.lower_ in ("by", "from") for c in noun.children)  # "the reaction by X condemning ..."
        if named or not noun.head.tag_.startswith("VB") or noun.head.lower_.startswith(BLOCKING):
            return noun  # "vetoed a resolution condemning X": the vetoing state did not condemn
        return subject_of(noun.head, depth + 1) or noun
    return None


def antecedent(token):
    """"the remarks, which it called ...": a relative pronoun stands for the noun its clause hangs on."""
    clause = next((t for t in token.ancestors if t.dep_ == "relcl"), None) if token.lower_ in RELATIVES else None
    return clause.head if clause is not None else token


def child(token, *deps: str):
    return next((c for c in token.children if c.dep_ in deps), None)


def prep_objects(token, words: tuple[str, ...]) -> list:
    """The objects of this token's prepositions among words ("to the ministry" for "to")."""
    found = []
    for prep in token.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in words:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def extraposed(verb):
    """"It is unacceptable that X ...": the that-clause is the subject, not "it"."""
    subject = child(verb, "nsubj")
    if subject is None or subject.lower_ != "it":
        return None
    return next((c for c in verb.children if c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)


def agent_of(verb):
    """The "by" phrase of a passive verb itself (not of a noun after it)."""
    agent = child(verb, "agent")
    return child(agent, "pobj") if agent is not None else None


def is_passive(verb) -> bool:
    """Also a verb that shares a passive's subject: "was invited ... and handed a note"."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    # With an object of its own it is active ("... were fabricated and accused X"), unless it
    # is a verb of giving, whose passive keeps one ("was invited and handed a note").
    shares = child(verb, "dobj") is None or verb.lower_.startswith(("hand", "given", "present", "serve", "deliver"))
    return verb.dep_ == "conj" and child(verb, "nsubj") is None and verb.tag_ in ("VBN", "VBD") and shares \
        and is_passive(verb.head)


def passive_subject(verb):
    found = child(verb, "nsubjpass")
    if found is None and verb.dep_ == "conj" and verb.head != verb:
        return passive_subject(verb.head)
    return found


def governing_verb(token):
    """The verb a noun or adjective belongs to: "handed [the protest of X]" -> handed."""
    for _ in range(5):
        if token.tag_.startswith("VB") or token.dep_ == "ROOT":
            return token
        token = token.head
    return token


def in_clause_of(word, key) -> bool:
    """The word's clause holds the trigger's key, other than through a coordinated verb:
    "expressed condolences and denounced the strike" -> False for "denounced";
    "denied reports that X summoned" -> True for "summoned"."""
    if word is None:
        return False
    verb = governing_verb(word)
    # "has repeatedly blamed X and accused Y": an adverb spans the verbs that share its subject
    adverbial = word.tag_.startswith("RB") or word.dep_ in ("advmod", "npadvmod", "prep")
    for _ in range(12):
        if key.i == verb.i:
            return True
        if key.dep_ in ("conj", "parataxis") and key.tag_.startswith("VB") and not (
                adverbial and child(key, "nsubj", "nsubjpass") is None) or key.head.i == key.i:
            return False
        key = key.head
    return False


_QUESTION_END = re.compile(r"\?[\"'”’)\]\s]*$")  # a question mark, past closing quotes and brackets


def _asked(key) -> bool:
    """The key's sentence is a direct question."""
    return _QUESTION_END.search(key.doc.text) is not None


def is_unreal(key) -> bool:
    """Negated, hypothetical, planned or demanded: "did not summon", "may summon", "is
    preparing a note", "urged Baku to summon", "a note would soon be handed over", "if ...",
    "we see no grounds for summoning"."""
    if _asked(key):
        return True  # "Do I have to file the protest myself?": a question reports no protest
    if key.tag_.startswith("NN") and any(c.dep_ == "acl" and c.tag_ == "VBN" and child(c, "agent") is not None
                                         for c in key.children):
        return False  # "did not attend the summons issued by X": the summons' own clause says it was made
    if key.lower_ == "accept" and any(c.dep_ == "neg" for c in key.children) and not any(
            c.dep_ == "aux" and c.lower_ in HYPOTHETICAL for c in key.children):
        return False  # "cannot accept X's protest": the refusal is said, not planned
    token, shared = key, False  # shared: reached through a coordination, whose negation is its own
    for _ in range(6):
        for c in token.children:
            if not shared and (c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no")):
                return True
            if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"):
                return True
            if c.dep_ == "aux" and c.tag_ == "TO" and token == key and not head_decided(key):
                return True  # "to summon": a purpose or a plan, said by the verb it hangs on
        for relative in (c for c in token.children if c.dep_ == "relcl"):
            if any(a.dep_ in ("aux", "auxpass") and a.lower_ in MODALS for a in relative.children):
                return True  # "a note, which would soon be handed over"
        head = token.head
        if head == token or head.lower_ in SPEECH_VERBS:
            return False
        if key.tag_.startswith("NN") and head.lower_.startswith(("refus", "declin")) and (
                token == key and token.dep_ == "dobj" or token.lower_.startswith(("accept", "receiv"))):
            return False  # "refused (to accept) the note": it was handed over
        # ... and "a protest note is being prepared": the note is what the plan is about
        if (token.dep_ in ("xcomp", "dobj", "ccomp") or token == key and token.dep_ == "nsubjpass") \
                and head.lower_.startswith(PLANNING) and head.tag_.startswith("VB") \
                and not (token == key and key.tag_.startswith("JJ") and head.lower_.startswith("consider")):
            return True  # (not "considers the decision unacceptable": a verdict, no plan)
        if token.dep_ == "pcomp" and head.lower_ in ("at", "for", "toward", "towards") and head.dep_ == "prep" \
                and head.head.lower_.startswith(PLANNING):
            return True  # "a draft aimed at condemning ...", "calls for condemning ..."
        if token.dep_ not in CLIMB and not (token == key and head_decided(key)):
            return False
        shared = shared or token.dep_ == "conj"
        token = head
    return False


def is_background(key) -> bool:
    """"had summoned", "earlier summoned", "previously protested": told as background, but
    not a pluperfect that reported speech shifts back ("said it had summoned")."""
    verb = governing_verb(key)
    while verb.dep_ == "conj" and child(verb, "aux", "nsubj", "nsubjpass") is None and verb.head != verb:
        verb = verb.head  # "had summoned X and handed him a note": the auxiliary is shared
    if any(c.dep_ == "advmod" and c.lower_ in ("earlier", "previously") and not list(c.children) for c in verb.children):
        return True
    if not any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
        return False
    return not (verb.dep_ in ("ccomp", "conj") and verb.head.lower_ in SPEECH_VERBS | REPORTING_VERBS)


# Prepositions that open what is protested (the cause's, less those of time, and "against"): a date
# on a thing inside them is the thing's.
_THING_PREPS = (CAUSE_PREPS - {"amid", "since", "during", "before", "despite"}) | {"against"}
# Nouns a date phrase is made of ("the evening of 3 May", "early last week"): not a thing the date belongs to.
_TIME_WORDS = frozenset({"morning", "afternoon", "evening", "night", "midnight", "noon", "day", "days", "week", "weeks",
                         "weekend", "month", "months", "year", "years", "end", "beginning", "start", "middle", "hours",
                         "early", "late", *MONTHS, *WEEKDAYS})


def _date_token(parsed: Parsed, position: int):
    return next((t for t in parsed.doc if t.idx + parsed.offset >= position), None)


def _date_governor(parsed: Parsed, key, position: int):
    """The word the date at this article offset hangs on: "summoned on Monday" -> summoned, "the
    raid on 3 May" -> raid. None when there is no date token or no trigger."""
    token = _date_token(parsed, position)
    if token is None or key is None:
        return None
    while token.dep_ in ("pobj", "prep", "compound", "nummod", "appos", "amod", "nmod") and token.head != token:
        token = token.head
    return token.head if token.dep_ in ("npadvmod", "tmod") else token


def dates_the_verb(parsed: Parsed, key, position: int) -> bool:
    """Whether the date at this article offset modifies the trigger's own verb (or a verb
    above it), "called the decision regrettable on Monday", not a noun ("the visit on Monday")."""
    governor = _date_governor(parsed, key, position)
    # Tokens are compared with ==: spaCy makes a new Token object at each access, so "is" fails.
    return governor is not None and governor.tag_.startswith("VB") and (
        governor == key or governor in key.ancestors or governor == governing_verb(key))


def dates_the_cause(parsed: Parsed, key, position: int) -> bool:
    """A date on a thing inside the phrase that says what is protested: "lodged a protest
    following the launch of missiles on Thursday" (the launch's day), not "protested on Thursday"."""
    token = _date_token(parsed, position)
    if token is None or key is None:
        return False
    thing = False
    for above in islice(token.ancestors, 12):
        if above.dep_ == "prep" and above.lower_ in _THING_PREPS:  # ("following" is tagged a verb)
            return thing
        if above == key or above.tag_.startswith("VB"):
            return False
        thing = thing or (above.tag_.startswith("NN") and above.lower_ not in _TIME_WORDS)
    return False


def dates_the_trigger(parsed: Parsed, key, position: int) -> bool:
    """A possessive date on the protest itself or on its subject: "Friday's protest note",
    "Monday's declaration condemns" (not "condemned Monday's raid")."""
    token = _date_token(parsed, position)
    if token is None or key is None or token.dep_ != "poss":
        return False
    owner = token.head
    return owner == key or (key.dep_ == "compound" and owner == key.head) or (
        owner.dep_ in ("nsubj", "nsubjpass") and owner.head == key)


def dates_a_clause_below(parsed: Parsed, key, position: int) -> bool:
    """A date in a clause on a noun the trigger governs, the thing protested: "condemned the
    statement, which on the anniversary of the war in 2008 called for ..."; not on its
    subject ("the leaders, meeting on Monday, condemned")."""
    governor = _date_governor(parsed, key, position)
    if governor is None or governor.dep_ not in ("relcl", "acl") or governor == key or key not in governor.ancestors:
        return False
    below_key = next(t for t in (governor, *governor.ancestors) if t.head == key)
    return below_key.dep_ not in ("nsubj", "nsubjpass", "csubj", "agent", "advcl", "npadvmod")


def inside_the_cause_of(key, others) -> bool:
    """The trigger is part of what another trigger of its sentence protests, through a noun:
    "summoned the envoy over Tehran's statements expressing concern" (expressing, below
    statements, below summoned). Not "summoned the envoy to protest" nor "... and handed a note"."""
    through_noun = False
    for token in islice(key.ancestors, 10):
        if any(token == other for other in others):
            return through_noun
        through_noun = through_noun or token.tag_.startswith("NN")
    return False


def head_decided(verb) -> bool:
    """"decided to recall", "moved to summon": done, not planned; "summoned the envoy to hand
    him a note": done at the summons (its own reality is the summons'); "prompted Tokyo to
    summon": what the prompting caused, told as done."""
    return verb.dep_ == "xcomp" and verb.head.lower_.startswith(("decid", "mov", "chose", "went")) or (
        verb.dep_ in ("xcomp", "ccomp") and verb.head.lower_.startswith(CAUSING) and verb.head.tag_ in ("VBD", "VBG")) or (
        verb.dep_ in ("xcomp", "advcl") and verb.head.lower_.startswith(SUMMONING)
        and verb.lower_.startswith(("lodg", "hand", "deliver", "submit", "convey", "issu", "present", "serve"))) or (
        # "issued a communiqué to express its discontent": expressed by issuing it; "met the envoy to protest"
        verb.dep_ in ("xcomp", "advcl", "relcl", "acl") and verb.head.lower_.startswith(("issu", "releas", "publish", "met"))
        and verb.head.tag_ in ("VBD", "VBN") and verb.lower_.startswith(("express", "voic", "condemn", "reject", "protest", "denounc")))


def speaker_of(key):
    """Whoever the sentence quotes, when the trigger is in what they said: the subject of
    the speech verb above it ("'We condemn ...,' the minister said")."""
    token = key
    for _ in range(5):
        token = token.head  # the root is its own head
        if token.lower_ in SPEECH_VERBS:
            return _speaker(token)
    for token in key.doc[key.i + 1:]:  # a quotation with its attribution after it: '"...," said X.'
        if token.lower_ in SPEECH_VERBS and token.dep_ in ("ROOT", "parataxis"):
            return _speaker(token)
    for token in key.doc[key.i + 1:]:  # wire attribution: '"... is unacceptable," Trend reports citing the ministry'
        if token.lower_ in ("citing", "quoting") and (cited := child(token, "dobj")) is not None:
            return cited
    return None


def _speaker(speech):
    """A speech verb's subject; of a passive ("the envoy was warned that ..."), its "by" agent:
    the one warned or told does not speak."""
    return agent_of(speech) if is_passive(speech) else subject_of(speech)
