"""Which states a phrase names: the target among a trigger's objects (an attack's doers, not
where it struck; a violation's victim), a list named just before ("those countries", "the two
countries"), a fixed group ("the Baltic states"), a joint text's signatories; and, for a
protest about "this" act, the article's other party (counterpart)."""

from __future__ import annotations

from pipeline.extraction import cues
from pipeline.extraction.article import Article
from pipeline.extraction.sentences import Sentence
from pipeline.extraction.syntax import Parsed, antecedent, prep_objects
from pipeline.gazetteer import load_gazetteer, load_groups

SEPARATIST = "XKB"
TARGET_PREPS = ("to", "with", "against", "at", "on", "toward", "towards")
ABOUT_PREPS = ("over", "about", "after", "following", "regarding", "concerning", "amid", "for", "by")
VIOLENCE = frozenset({
    "attack", "attacks", "bombing", "bombings", "blast", "explosion", "shooting", "killing", "killings",
    "assassination", "massacre", "terrorism", "atrocity", "assault", "raid", "intrusion", "incursion", "storming",
    "strike", "strikes", "violence", "murder", "arson", "act", "acts", "death", "deaths", "casualties", "fire",
    "shelling", "shellings",
})
# Armed groups are no state: "(condemned the fire) by militants into X" names where they struck.
ARMED_GROUPS = ("terrorist", "militant", "rebel", "insurgent", "gunm", "extremist", "jihadist")
PLACE_PREPS = ("in", "into", "inside", "from", "across", "near", "at", "on")
MEDIA = frozenset({"media", "newspaper", "newspapers", "outlet", "outlets", "press", "journalist", "journalists", "reporter",
                   "reporters", "daily", "dailies", "broadcaster", "tabloid", "magazine", "news"})  # not "article": a treaty's too
VIOLATIONS = frozenset({"violation", "violations", "breach", "breaches", "infringement", "encroachment"})
VICTIMS = frozenset({"death", "deaths", "killing", "killings", "murder", "casualties", "assassination"})  # "of X": X died
TOPICS = frozenset({"issue", "issues", "question", "questions", "matter", "matters", "problem", "problems", "topic",
                    "topics", "subject", "file", "affair"})
MISFORTUNES = frozenset({"tragedy", "tragedies", "disaster", "disasters", "catastrophe", "calamity", "earthquake",
                         "earthquakes", "tsunami", "flood", "floods", "flooding", "cyclone", "hurricane", "typhoon",
                         "accident", "crash", "loss", "losses"})
JOINT_TEXTS = frozenset({"statement", "declaration", "communique", "communiqué", "statements", "declarations"})
ANAPHORIC = frozenset({"the", "this", "that", "these", "those", "such", "its", "their", "his", "her", "it", "them", "what"})
POINTING_BACK = frozenset({"those", "these", "aforementioned", "said", "above-mentioned", "abovementioned"})
CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "appos"})  # a phrase's own words stop at these
COUNTED = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12}  # "the three nations", "11 governments"


class Phrases:
    """The states the phrases of one trigger's sentence name, read with the article around it."""

    def __init__(self, article: Article, parsed: Parsed, sentence: Sentence):
        self.article, self.parsed, self.sentence = article, parsed, sentence

    def before(self, count: int) -> list[Sentence]:
        """The count sentences before this one, in the article's order."""
        index = self.article.index_of(self.sentence)
        return self.article.sentences[max(0, index - count):index]

    def host_of(self, receivers, targets: list[str]) -> list[str]:
        """The state the receiving mission sits in, when it is not a target: "lodged a protest with
        the X embassy in Y", "handed a note to an official of the X embassy in Y": Y."""
        hosts: list[str] = []
        for receiver in receivers:
            self.parsed.first_states(receiver, hosts)
        return [h for h in hosts if h not in targets][:1]

    def hosts_of(self, token) -> list[str]:
        hosts: list[str] = []
        self.parsed.states(token, hosts)
        return hosts

    def counterpart(self, actor: str) -> str | None:
        """The other party of a protest whose object names no state ("condemned this act"):
        the article's first target, the title's other state, or the first other state of the
        nearest of the five sentences before."""
        article = self.article
        if article.lead_target and article.lead_target != actor:
            return article.lead_target
        gazetteer = load_gazetteer()  # "Foreign Office makes statement": anyone's
        in_title = [e.code for e in article.title_entities
                    if e.code not in (actor, SEPARATIST) and not gazetteer.is_shared_ministry(e)]
        if in_title:
            return in_title[0]
        nearby = list(reversed(self.before(5)))
        if article.index_of(self.sentence) == 0:  # a lede's protest: the other party is named in what follows
            nearby += article.sentences[1:3]
        for other in nearby:
            others = [e.code for e in article.entities_in(other.start, other.end) if e.code not in (actor, SEPARATIST)]
            if others:
                return others[0]
        return None

    def targets(self, key, actors: list[str], objects: list) -> list[str]:
        """The first of these phrases to name a state other than the actor's."""
        for phrase in objects:
            phrase = antecedent(phrase)
            if phrase.lower_ in VIOLENCE:
                codes = self.perpetrators(phrase)
            elif phrase.lower_ in VIOLATIONS:  # "this violation of X's sovereignty": X is the victim
                codes = self.perpetrators(phrase, of_is_victim=True)
            elif phrase.lower_ in TOPICS:  # "on the Taiwan issue": a subject of talk; only "X's stance on it" names a doer
                codes = [c for m in phrase.children if m.dep_ == "poss" for c in self.parsed.states(m)]
            else:
                # "a resolution that X adopted": a relative clause names the author of the thing.
                codes = self.parsed.first_states(phrase, last=SEPARATIST, exclude=actors, relcl=True)
            if phrase.lower_.startswith(ARMED_GROUPS):  # "(fire) by militants into X": X is where they struck
                codes = [c for c in codes if c not in self.places(phrase)]
            codes = [c for c in codes if c not in self.in_the_media(phrase)]
            codes = [c for c in codes if c not in actors]
            if not codes:
                codes = [c for c in self.listed(phrase, actors) or self.possessive_pronoun(phrase) if c not in actors]
            if not codes:  # "a statement issued by eleven governments": the eleven the article lists
                codes = [c for author in self.authors(phrase) for c in self.listed(author, actors)]
            if codes:
                return codes
        return []

    def in_the_media(self, phrase) -> set[str]:
        """States named only as the media's ("reports by Nepali media outlets", "the members of the
        media who ...", "news in a local daily about a letter from the White House"): what the
        press wrote is no state's act."""
        media = [t for t in phrase.subtree if t.lower_ in MEDIA and not any(c.lower_ == "state" for c in t.children)]
        return {code for m in media for t in m.subtree if (code := self.parsed.code(t))}

    def places(self, phrase) -> set[str]:
        """The states a phrase's place prepositions name ("rebels into Chile", "militants in Peru")."""
        return {c for p in phrase.children if p.dep_ == "prep" and p.lower_ in PLACE_PREPS
                for o in p.children for c in self.parsed.states(o)}

    def listed(self, phrase, exclude: list[str] = ()) -> list[str]:
        """"the envoys of those countries": the list of states named just before (the same or
        the previous sentence, or earlier in the paragraph); "the Baltic states": the members
        of a fixed group (groups.tsv); "the two countries": the only two states the sentences
        just before name (named_before)."""
        own, stack = [], [phrase]  # the phrase's own words ("the minister, who visited X": not X)
        while stack:
            own.append(stack.pop())
            stack += [c for c in own[-1].children if c.dep_ not in CLAUSES]
        own.sort(key=lambda t: t.i)
        words = " " + " ".join(t.lower_ for t in own) + " "
        nouns = [t for t in own if t.lower_ in cues.GROUP_NOUNS]
        count = next((COUNTED.get(d.lower_) or int(d.text) for t in nouns for d in t.children
                      if d.lower_ in COUNTED or d.text.isdigit() and 2 < int(d.text) < 30), 0)
        fixed = next((codes for name, codes in load_groups().items() if f" {name} " in words), None)
        if fixed and count and count < len(fixed):  # "both Baltic countries": the two the article names
            fixed = [c for c in fixed if any(e.code == c for e in self.article.entities)]
        if fixed and (not count or count == len(fixed)):
            return [c for c in fixed if c not in exclude]
        group = self.article.last_group
        if group is not None and self.article.near(self.sentence, group[1]) and \
                any(d.lower_ in POINTING_BACK for t in nouns for d in t.children):
            return list(group[0])
        return self.named_before(phrase, count, exclude) if count else []

    def named_before(self, phrase, count: int, exclude: list[str]) -> list[str]:
        """Exactly count states named in the sentence before this one, else in the two before,
        other than the states this sentence names outside the phrase; more or fewer is no answer.
        Three or more: else the nearest sentence that names exactly that many."""
        start, end = (self.parsed.offset + t.idx for t in (phrase.left_edge, phrase.right_edge))
        if count >= 3:  # "the envoys of 10 states that voted for it - A, B, ... and J -": the list right after
            after = list(dict.fromkeys(e.code for e in self.article.entities_in(start, self.sentence.end)
                                       if e.code not in (*exclude, SEPARATIST)))
            if len(after) == count:
                return after
        exclude = [*exclude, SEPARATIST, *(e.code for e in self.article.entities_in(self.sentence.start, self.sentence.end)
                                           if not start <= e.start <= end)]
        for previous in reversed(self.before(2)):
            codes = list(dict.fromkeys(e.code for e in self.article.entities_in(previous.start, self.sentence.start)
                                       if e.code not in exclude))
            if len(codes) >= count:
                return codes if len(codes) == count else []
        if count < 3:
            return []
        # a long list is unmistakable: the nearest sentence of the article naming exactly that many, before or after
        for other in sorted(self.article.sentences, key=lambda s: abs(s.start - self.sentence.start))[1:]:
            codes = list(dict.fromkeys(e.code for e in self.article.entities_in(other.start, other.end) if e.code not in exclude))
            if len(codes) == count:
                return codes
        return []

    @staticmethod
    def authors(text, verb=None) -> list:
        """Who issued a joint text: "a statement issued by A and B", "the declaration of A and
        B", "Signed by A and B, the statement urges ..." (a participle on its verb)."""
        if text is None or text.lower_ not in JOINT_TEXTS:
            return []
        signers = [c for c in text.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "from")]
        signers += [agent for deed in (*text.children, *(verb.children if verb is not None else ()))
                    if deed.dep_ in ("acl", "advcl") and deed.tag_ == "VBN" for agent in deed.children if agent.dep_ == "agent"]
        return [o for prep in signers for o in prep.children if o.dep_ == "pobj"]

    def signatories(self, text, verb) -> list[str]:
        """The states that issued a joint statement (authors)."""
        return list(dict.fromkeys(code for o in self.authors(text, verb) for code in self.parsed.first_states(o, strict=True)))

    def possessive_pronoun(self, phrase) -> list[str]:
        """"handed a note opposing its drills": "its" is the nearest state named before it."""
        pronoun = next((t for t in phrase.subtree if t.lower_ in ("its", "their") and t.dep_ == "poss"), None)
        if pronoun is None:
            return []
        return next(([code] for t in reversed(self.parsed.doc[:pronoun.i]) if (code := self.parsed.code(t))), [])

    def perpetrators(self, violence, of_is_victim: bool = False) -> list[str]:
        """Who did an attack ("Russia's strike", "the raid by X police"), never where it took
        place or whom it hit ("the attack on the X embassy", "a mosque attack in Y")."""
        if any(t.lower_.startswith("terror") for t in violence.subtree):
            return []  # a terrorist attack: the state named is where it hit (sympathy, not protest)
        codes = []
        for c in violence.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod") and self.parsed.code(c):
                codes.append(self.parsed.code(c))
            elif c.dep_ in ("prep", "agent") and (c.lower_ == "by" or c.lower_ == "of" and not of_is_victim
                                                  and violence.lower_ not in VICTIMS):
                # "the renewal of violence in X": the violence's own doers, not where it happened
                codes += [s for o in c.children if o.dep_ == "pobj"
                          for s in (self.perpetrators(o) if o.lower_ in VIOLENCE else self.parsed.first_states(o, strict=True))]
        return codes

    def anaphoric(self, objects: list, actors: list[str]) -> bool:
        """"condemned this act", "rejected the claims": the object points back to what the
        article is about (not "criticized other states", nor "the attempts to burn the X
        flag", which names a state, only not as the culprit)."""
        for phrase in objects:
            if phrase.lower_ in MISFORTUNES:
                continue  # "we regret the tragedy": sympathy with the stricken, not a protest at anyone
            patients: list[tuple[str, int]] = []
            named = self.parsed.states(phrase, patients=patients)
            if any(code not in actors for code, _ in patients):
                return False
            named = [c for c in named if c not in self.violated(phrase)]  # "such breaches of X's sovereignty": X suffered them
            if named and all(code in actors for code in named) and not patients:
                return False  # "denounced the statement from X's president" said by X: a misread speaker, or home politics
            # "this act", "the decision"; "parts of the message"
            heads = [phrase, *(o for p in phrase.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children)]
            if any(next((t for t in h.subtree if not t.is_punct), h).lower_ in ANAPHORIC for h in heads):  # past a quote mark
                return True
        return False

    def violated(self, phrase) -> set[str]:
        """The states whose sovereignty, airspace or law the violations in a phrase breach."""
        return {c for t in phrase.subtree if t.lower_ in VIOLATIONS for o in prep_objects(t, ("of",)) for c in self.parsed.states(o)}

    def envoy_addressed(self, objects: list) -> bool:
        """"handed him a note", "expressed protest to him": "him" is the diplomat last named
        (article.last_diplomat)."""
        return any(t.lower_ in ("him", "her") for t in objects) and bool(self.article.last_diplomat)

    def diplomat_name(self, phrase) -> str | None:
        if phrase is None:
            return None
        for token in phrase.subtree:
            if self.parsed.kind(token) == "official":
                return self.parsed.entity_of[token.i].surface
        names = [t.text for t in phrase.subtree if t.tag_ == "NNP" and t.i not in self.parsed.entity_of and t.i > phrase.i]
        return " ".join(names) if len(names) >= 2 else None
