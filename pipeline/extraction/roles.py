"""Who protested to whom, read from the grammar of the trigger's sentence (syntax.py).

  summons     the summoned diplomat's country is the target (the object, or the passive
              subject); the actor is the subject, the passive's "by" agent, the ministry the
              diplomat was summoned to, or the country the diplomat serves in;
  note        the giver is the subject of the verb that hands it, or the note's owner
              ("the protest of X", "a protest from the government in Y"); the receiver its
              "to"/"with" object or dative, or the diplomat who "was handed" it;
  statement   the subject protests; the target is the object, a "to/with/against/at" phrase,
              else what the protest is about;
  evaluation  "called the decision regrettable", "X is unacceptable": the judged thing's state
              is the target, the one who judges (or speaks) the actor.

Rules stay only where grammar cannot decide: pronouns and bare organs ("the ministry said")
take the quoted speaker, the article's last actor or its home state; "the country" is the
host of the actor's embassy; a protest about "this" act takes the article's other party.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extraction import cues
from pipeline.extraction.article import ENVOY_AFTER, Article
from pipeline.extraction.sentences import Sentence
from pipeline.gazetteer import load_gazetteer, load_groups
from pipeline.extraction.syntax import (
    EMBASSY_WORDS, PRONOUNS, Parsed, agent_of, antecedent, child, governing_verb, head_decided, is_envoy, is_passive,
    passive_subject,
    prep_objects, speaker_of, subject_of,
)

SEPARATIST = "XKB"
NGO = "NGO"
NOBODY = "nobody"  # the subject names who acts, and it is no state (the UN, "EU countries")
TARGET_PREPS = ("to", "with", "against", "at", "on", "toward", "towards")
ABOUT_PREPS = ("over", "about", "after", "following", "regarding", "concerning", "amid", "for", "by")
RECEIVING = ("receiv", "hand", "given", "deliver", "present", "serve")  # "<diplomat> was handed a note"
RECEIVED = ("receiv", "reject", "accept", "return", "refus", "declin")  # "X rejected the note": X was handed it
VIOLENCE = frozenset({
    "attack", "attacks", "bombing", "bombings", "blast", "explosion", "shooting", "killing", "killings",
    "assassination", "massacre", "terrorism", "atrocity", "assault", "raid", "intrusion", "incursion", "storming",
    "strike", "strikes", "violence", "murder", "arson", "act", "acts", "death", "deaths", "casualties", "fire",
    "shelling", "shellings",
})
# Armed groups are no state: "(condemned the fire) by militants into X" names where they struck.
ARMED_GROUPS = ("terrorist", "militant", "rebel", "insurgent", "gunm", "extremist", "jihadist")
PLACE_PREPS = ("in", "into", "inside", "from", "across", "near", "at", "on")
VIOLATIONS = frozenset({"violation", "violations", "breach", "breaches", "infringement", "encroachment"})
VICTIMS = frozenset({"death", "deaths", "killing", "killings", "murder", "casualties", "assassination"})  # "of X": X died
CONVEYING = ("lodg", "summon", "call", "hand", "deliver", "sen", "convey", "submit", "issu", "express", "voic", "regist")
PROMPTING = ("trigger", "caus", "provok", "prompt", "spark", "draw", "drew", "met ", "elicit")  # "... drew a protest from X"
DOCUMENTS = frozenset({"resolution", "declaration", "report", "bill", "motion", "text", "document"})
JOINT_TEXTS = frozenset({"statement", "declaration", "communique", "communiqué", "statements", "declarations"})
ANAPHORIC = frozenset({"the", "this", "that", "these", "those", "such", "its", "their", "his", "her", "it", "them", "what"})
THE_HOST = frozenset({"country", "host", "republic", "state"})  # "the country's foreign ministry"
# "the envoys of those countries"; "summoned to several ministries" (no one state)
GROUP_NOUNS = frozenset({"countries", "governments", "states", "nations", "ministries"})
MEMBER_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "head", "leader", "chairman", "chairwoman",
                          "chair", "member", "official", "deputy", "secretary", "director", "founder", "president"})
LAWS = frozenset({"law", "laws", "code", "constitution", "legislation", "statute", "statutes"})
# "expressed protest to him": him is the diplomat last named; "accused her" may be anyone
RECIPIENT_RULES = ("statement_protest", "statement_expressed")
PEOPLE = frozenset({"protesters", "demonstrators", "crowds", "crowd", "people", "residents", "citizens", "students",
                    "muslims", "christians", "believers", "worshippers", "rioters", "mourners", "marchers"})
VERB_ONLY = ("statement_condemn", "statement_accuse", "statement_criticize", "statement_reject", "statement_blame")
OWN = frozenset({"its", "their", "our", "his", "her"})  # "summoned its ambassador": its own
POINTING_BACK = frozenset({"those", "these", "aforementioned", "said", "above-mentioned", "abovementioned"})
CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "appos"})  # a phrase's own words stop at these
COUNTED = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12}  # "the three nations", "11 governments"


@dataclass(frozen=True)
class Roles:
    actor: str
    target: str
    diplomat: str | None
    how: str  # how the actor was found: subject | by | ministry | host | owner | speaker | context | ...
    certainty: float  # 1.0 when both roles came from the sentence's grammar
    also_targets: tuple[str, ...] = ()  # "the ambassadors of France and Germany"
    also_actors: tuple[str, ...] = ()  # "Germany and France summoned ..."


# How sure a role found this way is, beside one the sentence's grammar gives: an actor guessed
# from the article (the last actor named, its home state) or a target taken from what the
# article is about is less sure than one named in the sentence.
HOW_CERTAINTY = {"context": 0.8, "document": 0.8, "speaker": 0.9, "host": 0.9, "counterpart": 0.8}


def _roles(actors: list[str], targets: list[str], diplomat: str | None, how: str, certainty: float) -> Roles | None:
    """certainty: the construction's; the way each role was found lowers it (HOW_CERTAINTY)."""
    actors = [a for a in actors if a]
    targets = [t for t in targets if t and t not in actors[:1]]
    if not actors or not targets:
        return None
    for way in how.split("+"):
        certainty *= HOW_CERTAINTY.get(way, 1.0)
    return Roles(actors[0], targets[0], diplomat, how, round(certainty, 3), tuple(targets[1:]), tuple(actors[1:]))


class _Resolver:
    """The roles of one trigger: one method per kind of trigger, helpers for the rules
    grammar cannot replace (who "it" is, the article's other party)."""

    def __init__(self, article: Article, parsed: Parsed, sentence: Sentence):
        self.article, self.parsed, self.sentence = article, parsed, sentence

    def before(self, count: int) -> list[Sentence]:
        """The count sentences before this one, in the article's order."""
        index = self.article.index_of(self.sentence)
        return self.article.sentences[max(0, index - count):index]

    # --- who speaks when the grammar names no state ---------------------------------------
    def fallback(self, exclude: list[str] = (), ranked: bool = False) -> str | None:
        """The last actor named, else the home state (else, ranked, the state named most often:
        for a summoned or handed envoy's host when the home state is his)."""
        article = self.article
        ranked_states = article.named_states if ranked else ()
        return next((c for c in (article.last_actor, article.home, *ranked_states) if c and c not in exclude), None)

    def in_group(self, token) -> bool:
        """A community, party, church or NGO is named in the phrase."""
        words = " ".join(t.text for t in token.subtree if t.i not in self.parsed.entity_of)
        return bool(cues.NON_STATE_GROUP.search(words))

    def group_word(self, token) -> bool:
        """A community, party, church or NGO heads the phrase ("the Azerbaijani diaspora")."""
        return self.in_group(token) and not cues.STATE_ORGAN_NOUN.search(token.text)

    def the_group(self, subject) -> bool:
        """"The group said ...": a bare "the group" (or "the organisation") in one of the two
        sentences after one that named a community, party or NGO."""
        if subject.lower_ not in ("group", "organisation", "organization") or \
                [c.lower_ for c in subject.children if c.dep_ not in ("punct", "prep")] != ["the"] or \
                any(c.dep_ == "prep" and c.lower_ == "of" for c in subject.children):
            return False
        return any(cues.NON_STATE_GROUP.search(self.article.text, s.start, s.end) for s in self.before(2))

    @staticmethod
    def member(phrase) -> bool:
        """The phrase names a person who holds a post ("the party's spokesman", "X, head of ...")."""
        return phrase.lower_ in MEMBER_ROLES or any(
            c.dep_ == "appos" and c.lower_ in MEMBER_ROLES for c in phrase.children)

    def nationality(self, phrase) -> list[str]:
        """The states a phrase's adjectives give its people ("a Peruvian rights group": PER), not
        where they live ("the Bolivian community of Chile": BOL only)."""
        if phrase is None:
            return []
        return [c for t in phrase.children if t.dep_ in ("amod", "compound") for c in self.parsed.states(t)]

    def outside_body(self, person) -> bool:
        """"X, the head of RSF's Africa desk", "X, spokesman for Amnesty": a post in a body that is
        named ("of"/"for"/"'s" a proper noun) but is no state and no state organ, or in the UN."""
        for role in (c for c in person.children if c.dep_ == "appos" and c.lower_ in MEMBER_ROLES):
            body = [t for p in role.children if p.dep_ == "prep" and p.lower_ in ("of", "for") for t in p.subtree]
            body += [t for c in role.children if c.dep_ == "poss" for t in c.subtree]
            words = " ".join(t.text for t in body)
            if cues.INTERNATIONAL_BODY.search(words) or any(t.tag_ == "NNP" for t in body) and not any(
                    t.i in self.parsed.entity_of for t in body) and not cues.STATE_ORGAN_NOUN.search(words):
                return True  # "spokesman for the UN Secretary-General" too
        return False

    def envoy_speaks(self, subject, key) -> bool:
        """An ambassador is the subject, or is quoted when the subject is none or a pronoun, or
        is the "he" quoted after a sentence that last named one."""
        if subject is not None and self.parsed.is_diplomat(subject):
            return True
        speaker = speaker_of(key)
        if speaker is None:
            return False
        if (subject is None or subject.lower_ in PRONOUNS) and self.parsed.is_diplomat(speaker):
            return True
        if speaker.lower_ not in ("he", "she"):
            return False
        people = [e for s in self.before(1) for e in self.article.entities_in(s.start, s.end) if e.kind == "official"]
        return bool(people) and is_envoy(people[-1])

    def international(self, token) -> bool:
        """The UN, the African Union, "the international community": no state, no NGO."""
        return bool(cues.INTERNATIONAL_BODY.search(" ".join(t.text for t in token.subtree)))

    def people(self, token) -> bool:
        """"Colombians", "45 million Iranians", "the protesters": people, not their state."""
        entity = self.parsed.entity_of.get(token.i)
        if entity is not None:
            plural = entity.surface.endswith("s") and not entity.surface.endswith("ss")  # not "Swiss"
            return entity.kind == "adjective" and token.tag_ in ("NNS", "NNPS") and plural
        return token.lower_ in PEOPLE

    def actors(self, subject, key, exclude: list[str] = ()) -> tuple[list[str], str]:
        """The states a subject phrase stands for, with how they were found."""
        if subject is not None:
            # "X, spokesman for the ruling party, condemned": a member's words, not a state's; nor the UN's
            if self.member(subject) and self.in_group(subject) or self.international(subject):
                return [], NOBODY
            if self.group_word(subject) or self.the_group(subject):
                return [NGO], "ngo"
            if self.people(subject) or (subject.lower_ == "they" and any(
                    t.dep_ == "nsubj" and self.people(t) for t in subject.doc[:subject.i])):
                return [], NOBODY  # "the protesters rallied ..., during which they condemned ..."
            # "a resolution condemning the X invasion": what the clause says is not who speaks
            own_clause = key.dep_ in ("acl", "relcl") and key.head == subject
            codes = [c for c in self.home_office(subject, self.parsed.first_states(subject, strict=True, acl=not own_clause))
                     if c not in exclude]
            if codes == ["EUU"] and subject.lower_ in cues.MEMBER_NOUNS:
                return [], NOBODY  # "several EU countries summoned ...": which ones, the text does not say
            if codes:
                return codes, "subject"
            # "the Baltic states condemned X", "both countries condemned X": the group's members
            codes = self.listed(subject, exclude)
            if codes:
                return codes, "subject"
        speaker = speaker_of(key)
        # "'... any declaration that criticises X,' he said": the text criticises, not the speaker
        if speaker is not None and speaker != subject and not (
                subject is not None and subject.lower_ in DOCUMENTS and key.dep_ == "relcl"):
            if self.group_word(speaker):
                return [NGO], "ngo"
            if self.outside_body(speaker):
                return [], NOBODY
            codes = [c for c in self.home_office(speaker, self.parsed.first_states(speaker, strict=True)) if c not in exclude]
            if codes:
                return codes, "speaker"
        if subject is not None and subject.lower_ in GROUP_NOUNS:
            return [], ""  # "several governments condemned": no one state to guess
        if subject is None or subject.lower_ in PRONOUNS or cues.STATE_ORGAN.search(subject.text):
            organ = subject is not None and subject.lower_ not in PRONOUNS  # "the ministry" is no group's
            fallback = self.fallback([*exclude, NGO] if organ else exclude)
            return ([fallback], "context") if fallback else ([], "")
        if subject.lower_ in DOCUMENTS and key.dep_ not in ("relcl", "acl") and self.article.lead_target \
                and self.article.lead_target not in exclude and not self.uncoded_author(subject):
            # "The resolution condemns ...": the resolution the article is about, by the state
            # whose act the article's first protest was against.
            return [self.article.lead_target], "document"
        return [], ""  # "the resolution condemns ...": nobody we can name protests

    def uncoded_author(self, document) -> bool:
        """"The European resolution", "the Arab declaration": an adjective names an author the
        code list has no state for, so the article's other party did not write it."""
        return any(c.dep_ == "amod" and c.text[:1].isupper() and c.i not in self.parsed.entity_of
                   for c in document.children)

    def home_office(self, phrase, codes: list[str]) -> list[str]:
        """"The Foreign Office said": a ministry name several states use ("the Pakistan Foreign
        Office") is the home state's in an article that names the gazetteer's state nowhere else."""
        home = self.article.home
        if phrase is None or home is None or codes[:1] == [home] or len(codes) != 1:
            return codes
        named = [self.parsed.entity_of[t.i] for t in phrase.subtree if self.parsed.code(t) == codes[0]]
        if all(e.kind == "ministry" and e.surface in load_gazetteer().shared_ministries for e in named) and not any(
                e.code == codes[0] and e.kind != "ministry" for e in self.article.entities):
            return [home]
        return codes

    def not_the_protested(self, actors: list[str], protested: list[str]) -> list[str]:
        """A guessed actor that is the very state the protest names as its target yields to
        the next guess ("the ministry condemned X's remarks", X having spoken last)."""
        if actors[:1] != protested[:1]:
            return actors
        other = self.fallback(protested[:1])
        return [other] if other else []

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
        in_title = [e.code for e in article.title_entities if e.code not in (actor, SEPARATIST)]
        if in_title:
            return in_title[0]
        for previous in reversed(self.before(5)):
            others = [e.code for e in article.entities_in(previous.start, previous.end) if e.code not in (actor, SEPARATIST)]
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
            else:
                # "a resolution that X adopted": a relative clause names the author of the thing.
                codes = self.parsed.first_states(phrase, last=SEPARATIST, exclude=actors, relcl=True)
            if phrase.lower_.startswith(ARMED_GROUPS):  # "(fire) by militants into X": X is where they struck
                codes = [c for c in codes if c not in self.places(phrase)]
            codes = [c for c in codes if c not in actors]
            if not codes:
                codes = [c for c in self.listed(phrase, actors) or self.possessive_pronoun(phrase) if c not in actors]
            if not codes:  # "a statement issued by eleven governments": the eleven the article lists
                codes = [c for author in self.authors(phrase) for c in self.listed(author, actors)]
            if codes:
                return codes
        return []

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
        fixed = next((codes for name, codes in load_groups().items() if f" {name} " in words), None)
        if fixed:
            return [c for c in fixed if c not in exclude]
        nouns = [t for t in own if t.lower_ in GROUP_NOUNS]
        group = self.article.last_group
        if group is not None and self.article.near(self.sentence, group[1]) and \
                any(d.lower_ in POINTING_BACK for t in nouns for d in t.children):
            return list(group[0])
        count = next((COUNTED.get(d.lower_) or int(d.text) for t in nouns for d in t.children
                      if d.lower_ in COUNTED or d.text.isdigit() and 2 < int(d.text) < 30), 0)
        return self.named_before(phrase, count, exclude) if count else []

    def named_before(self, phrase, count: int, exclude: list[str]) -> list[str]:
        """Exactly count states named in the sentence before this one, else in the two before,
        other than the states this sentence names outside the phrase; more or fewer is no answer.
        Three or more: else the nearest sentence that names exactly that many."""
        start, end = (self.parsed.offset + t.idx for t in (phrase.left_edge, phrase.right_edge))
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
        before = [self.parsed.code(t) for t in self.parsed.doc[:pronoun.i] if self.parsed.code(t)]
        return before[-1:]

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

    def diplomat_name(self, phrase) -> str | None:
        if phrase is None:
            return None
        for token in phrase.subtree:
            if self.parsed.kind(token) == "official":
                return self.parsed.entity_of[token.i].surface
        names = [t.text for t in phrase.subtree if t.tag_ == "NNP" and t.i not in self.parsed.entity_of and t.i > phrase.i]
        return " ".join(names) if len(names) >= 2 else None

    def mutual(self, key, rule: str) -> Roles | None:
        """"A and B summoned each other's envoys", "A and B blamed each other", "A and B
        traded barbs": each coordinated subject protests to the others."""
        objects = [c for c in key.children if c.dep_ in ("dobj", "dative", "pobj", "prep")]
        if rule != "statement_trade" and not any(t.lower_ in ("other", "another") for o in objects for t in o.subtree):
            return None
        actors = self.parsed.states(subject_of(key))
        if len(actors) < 2:
            return None
        return Roles(actors[0], actors[1], None, "mutual", 0.9, tuple(actors), tuple(actors[1:]))

    # --- summons --------------------------------------------------------------------------
    def summons(self, key) -> Roles | None:
        parsed = self.parsed
        passive = is_passive(key) or (key.dep_ == "acl" and key.tag_ == "VBN" and child(key, "nsubj") is None)
        phrase = (child(key, "nsubjpass") or (key.head if key.dep_ in ("acl", "relcl") else None)) if passive \
            else child(key, "dobj") or next(iter(prep_objects(key, ("in",))), None)
        if phrase is None or phrase.lower_ in ("him", "her", "them"):
            phrase = next((t for t in parsed.doc if parsed.is_diplomat(t)), phrase)
        agent = agent_of(key) if passive else None
        if agent is not None and phrase is not None and parsed.is_diplomat(agent) and not parsed.is_diplomat(phrase):
            phrase, agent = agent, phrase  # "the ministry was invited by the ambassador": a translation's reversal
        hosts: list[str] = []
        targets = parsed.first_states(phrase, hosts, acl=False)
        if not targets:  # "summoned an attaché at the X embassy": the parser hangs "at" on the verb
            targets = [c for o in prep_objects(key, ("at", "of", "from")) if o.lower_ in EMBASSY_WORDS
                       for c in parsed.first_states(o)]
        if not passive and phrase is not None and any(
                c.dep_ == "poss" and c.lower_ in OWN for c in phrase.children) and parsed.is_diplomat(phrase):
            return None  # "Zagreb summoned its ambassador to Serbia": called home, a recall
        name = self.diplomat_name(phrase)
        remembered = self.article.last_diplomat
        if not targets and phrase is not None:
            targets = self.listed(phrase)
        if not targets and remembered and (phrase is None or phrase.lower_ in ("him", "her", "them") or parsed.is_diplomat(phrase)):
            targets, name = list(remembered[0]), name or remembered[1]
        # "X's ministry summoned Ambassador Wu": an envoy of no named state is the article's other party's
        unnamed = not targets and not passive and phrase is not None and phrase.tag_ == "NNP" and phrase.dep_ in ("dobj", "pobj")
        if not targets and not unnamed:
            return None
        if targets:
            self.article.last_diplomat = (tuple(targets), name)
        if passive:
            for objects, how in (([agent] if agent is not None else [], "by"),
                                 (prep_objects(key, ("to", "at", "by", "in")), "ministry")):
                for obj in objects:
                    codes = [c for c in self.home_office(obj, parsed.states(obj)) if c not in targets]
                    if codes:
                        return _roles(codes, targets, name, how, 1.0)
            host = [h for h in hosts if h not in targets]
            if host:
                return _roles(host, targets, name, "host", 1.0)
            if any(o.lower_ in GROUP_NOUNS for o in prep_objects(key, ("to", "by"))) or (
                    agent is not None and agent.lower_ in GROUP_NOUNS):
                return None  # "summoned to several foreign ministries": no one state to guess
            return _roles([self.fallback([*targets, NGO], ranked=True)], targets, name, "context", 1.0)
        actors, how = self.actors(subject_of(key), key, exclude=[*targets, NGO])  # a group summons no one
        # "summoned the X envoy to the Philippines ...": the parser may hang the post's "to" on the verb
        # (not "summoned our envoy to the Foreign Office": a ministry the text does not place is no host)
        posts = [o for o in prep_objects(key, ("to",)) if parsed.kind(o) != "ministry"]
        host = [h for h in hosts + [c for o in posts for c in parsed.states(o)] if h not in targets]
        if how == "context" and host:  # "the ministry summoned the X envoy to Y": Y, not a guess
            actors, how = host, "host"
        if how == NOBODY:
            return None
        if not actors:
            actors, how = (host, "host") if host else ([self.fallback([*targets, NGO], ranked=True)], "context")
        if unnamed:
            if how != "subject":
                return None
            targets, how = [self.envoys_state(actors[0])], how + "+counterpart"
        return _roles(actors, targets, name, how, 1.0)

    def envoys_state(self, actor: str) -> str | None:
        """"China's ambassador ... Seoul summoned Xing": the last state named before with its
        envoy, else the article's other party."""
        text = self.article.text
        for entity in reversed(self.article.entities_in(0, self.sentence.start)):
            if entity.code != actor and ENVOY_AFTER.match(text, entity.end):
                return entity.code
        return self.counterpart(actor)

    # --- a protest note, or a protest named as a thing ---------------------------------------
    def note(self, key) -> Roles | None:
        parsed = self.parsed
        owners = self.owners(key)
        # "a note of protest to X" (the parser may hang "of protest" on the verb)
        of_nouns = [o for c in (*key.children, *key.head.children) if c.dep_ == "prep" and c.lower_ == "of"
                    and (c.head == key or c.i == key.i + 1) for o in c.children if o.dep_ == "pobj"]
        participles = [c for c in key.children if c.dep_ == "acl" and c.tag_ == "VBN"]  # "a note addressed to X"
        to_key = [o for token in (key, *of_nouns, *participles) for o in prep_objects(token, TARGET_PREPS)]
        verb = governing_verb(key)
        if verb == key:
            verb = None
        prompted = verb is not None and verb.lower_.startswith(PROMPTING)
        if prompted and not owners:  # "the visit drew a protest from X": the parser hangs "from" on the verb
            owners = [c for o in prep_objects(verb, ("from",)) for c in parsed.first_states(o, strict=True)]
        subject = subject_of(verb) if verb is not None else None
        receiving = verb is not None and (verb.lower_.startswith(RECEIVED) or (
            verb.lower_.startswith(RECEIVING) and is_passive(verb)))
        if receiving and key.dep_ == "dobj":
            # "<diplomat> was handed a note", "X received a note from Y": the subject receives.
            subject = passive_subject(verb) or subject
            if verb.dep_ in ("xcomp", "advcl") and child(verb.head, "dobj") is not None:
                subject = child(verb.head, "dobj")  # "summoned the X envoy to receive a note": the envoy
            targets = parsed.states(subject)
            name = self.diplomat_name(subject)
            if not targets and self.article.last_diplomat and subject is not None and (
                    subject.lower_ in PRONOUNS or parsed.is_diplomat(subject)):
                targets, name = list(self.article.last_diplomat[0]), name or self.article.last_diplomat[1]
            # "... by X", "a note from X", "was handed a note at X's ministry"
            at_ministry = [o for t in (verb, key, *of_nouns) for o in prep_objects(t, ("at", "in"))
                           if cues.STATE_ORGAN_NOUN.fullmatch(o.text)]
            givers = self.targets(key, targets, [*prep_objects(verb, ("by", "from")), *prep_objects(key, ("from",)), *at_ministry])
            if givers:
                return _roles(givers, targets, name, "by", 0.9)
            return _roles(owners or [self.fallback(targets, ranked=True)], targets, name, "owner" if owners else "context", 0.9)
        actors, how = (owners, "owner") if owners else self.actors(subject, key)
        if not owners and verb is not None and key.dep_ in ("nsubj", "nsubjpass"):
            actors, how = [self.fallback()], "context"  # "a protest note was handed to ...": no giver named
        objects = [*to_key]
        if verb is not None:
            objects += [c for c in verb.children if c.dep_ in ("dative", "iobj")] + prep_objects(verb, TARGET_PREPS)
            if key.dep_ == "nsubj":  # "X's protest note reached Y", "the note accused Y of ...": the note's addressee
                objects += [c for c in verb.children if c.dep_ == "dobj"]
            if prompted and subject is not None:
                objects.append(subject)  # "the visit triggered a protest from X": the visit's state
        if how == "context":
            actors = self.not_the_protested(actors, self.targets(key, [], objects))
        if any(t.lower_ in ("him", "her") for t in objects) and self.article.last_diplomat:
            targets = list(self.article.last_diplomat[0])
        else:
            targets = self.targets(key, actors, objects)
        if not targets and any(t.lower_ in THE_HOST for o in objects for t in o.subtree):
            targets = [h for h in self.hosts_of(subject) if h not in actors]
        if not targets and verb is not None and not prompted:  # "lodged a protest over X's survey": X
            targets = self.targets(key, actors, [o for t in (key, verb) for o in prep_objects(t, ABOUT_PREPS)])
        if not targets and actors and (self.anaphoric(objects, actors) or not objects):
            targets, how = [self.counterpart(actors[0])], how + "+counterpart"
        return _roles(actors, targets, None, how, 0.9)

    def owners(self, key) -> list[str]:
        """Whose note or protest it is: "X's protest", "the protest of X", "a protest from
        the government in Y" ("a note of protest": the owners of the protest too)."""
        nouns = [key, *(o for c in key.children if c.dep_ == "prep" and c.lower_ == "of"
                        for o in c.children if o.dep_ == "pobj" and o.lower_.startswith("protest"))]
        found = []
        for noun in nouns:
            for c in noun.children:
                if c.dep_ in ("poss", "amod", "compound", "nmod"):
                    found += self.parsed.first_states(c, strict=True)
                elif c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
                    for o in (o for o in c.children if o.dep_ == "pobj" and not o.lower_.startswith("protest")):
                        found += self.parsed.first_states(o, strict=True) or (
                            # "a protest from the authorities in Tokyo": the parser hangs "in" on the protest
                            [s for p in prep_objects(noun, ("in",)) for s in self.parsed.states(p)]
                            if cues.STATE_ORGAN_NOUN.fullmatch(o.text) else [])
        return list(dict.fromkeys(found))

    # --- statements: a verb of protest -------------------------------------------------------
    def statement(self, key, rule: str) -> Roles | None:
        parsed = self.parsed
        if rule == "statement_urge":  # "the joint declaration of A and B urges C to ...": only signed ones
            signatories = self.signatories(subject_of(key), key)
            urged = [*(c for c in key.children if c.dep_ == "dobj"), *prep_objects(key, ("on", "upon"))]
            targets = self.targets(key, signatories, urged) if len(signatories) > 1 else []
            return _roles(signatories, targets, None, "signatories", 0.8)
        # "the decision was condemned by Baku"; "X's plan condemned by Baku" (a headline's passive)
        reduced = key.dep_ == "acl" and key.tag_ == "VBN" and agent_of(key) is not None
        if is_passive(key) or reduced:
            actors = parsed.states(agent_of(key))
            judged = key.head if reduced else child(key, "nsubjpass")
            targets = parsed.states(judged)
            if not actors and rule in ("statement_accuse", "statement_blame", "statement_criticize"):
                return None  # "X has been accused of ...": by whom, the sentence does not say
            return _roles(actors or [self.fallback(targets)], targets, None, "by" if actors else "context", 0.9)
        if the_cause(key):
            return None
        subject = subject_of(key)
        if rule.startswith("statement") and rule not in RECIPIENT_RULES and self.envoy_speaks(subject, key):
            return None  # "the ambassador criticized ...": an envoy's remarks, not his state's statement
        demonym = subject is not None and parsed.kind(subject) == "adjective"
        if demonym and subject.tag_ in ("NNS", "NNPS") and not self.group_word(subject):
            return None  # "Latvians who oppose ...": people, not their state
        actors, how = self.actors(subject, key)
        if not actors:
            return None
        direct = [c for c in key.children if c.dep_ in ("dobj", "dative", "iobj")]
        if key.dep_ == "relcl" and any(d.lower_ in ("whom", "which", "who", "that") for d in direct):
            direct = [key.head]  # "the authorities, whom he accused of ...": the relative's antecedent
        # "lodged a protest with X over Y's ...": the prepositions may hang on the object.
        carriers = [key, *(d for d in direct if d.lower_ not in VIOLENCE)]  # an attack "on X" hit X
        objects = direct + [o for t in carriers for o in prep_objects(t, TARGET_PREPS)]
        if (head_decided(key) or key.dep_ == "conj") and key.head.lower_.startswith(("summon", "call", "invit")):
            objects += [c for c in key.head.children if c.dep_ == "dobj"]  # "summoned X to lodge (and lodged) a protest": to X
        if any(t.lower_ in ("him", "her") for t in direct) and self.article.last_diplomat and rule in RECIPIENT_RULES:
            return _roles(actors, list(self.article.last_diplomat[0]), self.article.last_diplomat[1], how, 0.9)
        if rule == "statement_recall":  # "recalled its ambassador to X": X
            hosts = [h for o in direct for h in self.hosts_of(o) if h not in actors]
            hosts += [c for o in prep_objects(key, ("to", "in", "from")) for c in parsed.states(o) if c not in actors]
            if hosts:
                return _roles(actors, hosts[:1], None, how, 0.8)
            return _roles(actors, [self.counterpart(actors[0])], None, how + "+counterpart", 0.8)
        if rule in ("statement_accuse", "statement_blame"):
            targets = self.targets(key, actors, direct)  # the accused must be a state
            return _roles(actors, targets, None, how, 0.9)
        # "lodged a protest through diplomatic channels over ...": the parser may hang "over" on the channels
        means = prep_objects(key, ("through", "via"))
        about = [o for t in (*carriers, *means) for o in prep_objects(t, ABOUT_PREPS)]
        if rule == "statement_concern":  # only a state's, and only about what another state did
            doers = [c for o in about for c in self.perpetrators(o) if c not in actors]
            return _roles(actors, doers, None, how, 0.8) if how != "ngo" else None
        # an object's own clauses are walked with it
        about += [c for c in key.children if c.dep_ in ("xcomp", "ccomp", "advcl", "acl", "oprd")]
        if how == "context":  # "the ministry condemned X's remarks": not X's ministry, whoever spoke last
            actors = self.not_the_protested(actors, self.targets(key, [], objects + about))
            if not actors:
                return None
        targets = self.targets(key, actors, objects + about)
        if how == "ngo" and targets[:1] and targets[0] in self.nationality(subject):
            return None  # "a Peruvian rights group denounced the Peruvian police": criticism at home
        if not targets and self.anaphoric(objects, actors) and len(carriers) == len(direct) + 1:  # not "the attack"
            targets, how = [self.counterpart(actors[0])], how + "+counterpart"
        return _roles(actors, targets, None, how, 0.9)

    def concerned(self, key) -> Roles | None:
        """"X is (deeply) concerned / disappointed by Y's act": X's reproach of Y, read like an
        expressed concern; only as the state's predicate (not "the states concerned")."""
        subject = child(key, "nsubjpass") or (subject_of(key.head) if key.dep_ == "acomp" else None)
        if subject is None or self.envoy_speaks(subject, key):
            return None
        actors, how = self.actors(subject, key)
        about = prep_objects(key, (*ABOUT_PREPS, "at")) + [a for a in (agent_of(key),) if a is not None]
        doers = [c for o in about for c in self.perpetrators(o) if c not in actors]
        return _roles(actors, doers, None, how, 0.8) if how != "ngo" else None

    def anaphoric(self, objects: list, actors: list[str]) -> bool:
        """"condemned this act", "rejected the claims": the object points back to what the
        article is about (not "criticized other states", nor "the attempts to burn the X
        flag", which names a state, only not as the culprit)."""
        for phrase in objects:
            patients: list[tuple[str, int]] = []
            self.parsed.states(phrase, patients=patients)
            if any(code not in actors for code, _ in patients):
                return False
            # "this act", "the decision"; "parts of the message"
            heads = [phrase, *(o for p in phrase.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children)]
            if any(next((t for t in h.subtree if not t.is_punct), h).lower_ in ANAPHORIC for h in heads):  # past a quote mark
                return True
        return False

    # --- "X caused regret", "the visit is unacceptable", "called it regrettable" -------------
    def evaluation(self, key) -> Roles | None:
        verb = governing_verb(key)
        if any(law.lower_ in LAWS and not any(t.lower_ == "international" for t in law.subtree)
               for law in prep_objects(key, ("under",)) + prep_objects(verb, ("under",))):
            return None  # "unacceptable under Thai law": a crime at home, not another state's act
        if key.tag_.startswith("VB"):  # "the remarks caused regret in Baku"
            judged = [c for c in key.children if c.dep_ in ("nsubj", "csubj")] or [subject_of(key)]
            # "caused indignation in Baku": the parser may hang "in Baku" on the verb
            judges = ("in", "among", "of", "from")
            reaction = child(key, "dobj") or next(iter(prep_objects(key, ("with",))), key)  # "met with a rebuke from X"
            judge = next(iter([*prep_objects(reaction, judges), *prep_objects(key, judges)]), None)
            if key.lower_.startswith("violat"):  # "the airspace of X" is the victim, not a judge
                judge = None
        elif (key.head if key.dep_ == "amod" else key).dep_ in ("oprd", "xcomp", "ccomp", "advmod") \
                and (child(verb, "dobj") or child(key, "nsubj")) is not None:  # ... "regrettable", "an unacceptable step"
            # "called the decision regrettable" (the decision the verb's object or the verdict's subject)
            judged, judge = [child(verb, "dobj") or child(key, "nsubj")], subject_of(verb)
        else:  # "the visit is unacceptable (to X)", "an unacceptable step by X", "amounts to interference"
            judged = [subject_of(verb) if key.dep_ in ("acomp", "attr") or amounts_to(key) else key.head]
            judge = next(iter(prep_objects(key, ("to", "for"))), None)
        judged = [j for j in judged if j is not None]
        targets = self.targets(key, [], judged)
        actors, how = self.actors(judge, key, exclude=targets)
        if not actors and how != NOBODY:  # no judge, or one that names no state: whoever speaks
            actors, how = self.actors(None, key, exclude=targets)
        if key.tag_.startswith("VB") and key.lower_.startswith("violat") and speaker_of(key) is None:
            return None  # "X violated Y's airspace" told by the reporter is a fact, not Y's verdict
        if not targets and actors and self.anaphoric(judged, actors):
            if how == "context":
                how = "guess"  # "the attack on X is unacceptable": both roles guessed (extractor.py)
            targets = [self.counterpart(actors[0])]
        return _roles(actors, targets, None, how, 0.8)


def amounts_to(noun) -> bool:
    """"X amounts to interference": the noun is what X is, like "X is interference"."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "to" and noun.head.head.lower_.startswith("amount")


def the_cause(verb) -> bool:
    """Words told as what a protest answers, not as a protest: "(summoned the envoy) after the
    president criticized ...", "the spokesman had reportedly criticised ..."."""
    marks = {c.lower_ for c in verb.children if c.dep_ in ("mark", "advmod", "aux")}
    return verb.dep_ in ("advcl", "ccomp") and bool(marks & {"after", "because", "since"}) or (
        "had" in marks and bool(marks & {"reportedly", "allegedly"}))


def resolve_roles(article: Article, parsed: Parsed, sentence: Sentence, start: int, end: int,
                  rule: str, event_type: str, voice: str) -> Roles | None:
    """Actor, target and diplomat of the trigger at [start, end) of a parsed sentence."""
    key = parsed.key_token(start, end)
    if key is None:
        return None
    resolver = _Resolver(article, parsed, sentence)
    if key.tag_.startswith("VB") and (mutual := resolver.mutual(key, rule)) is not None:
        return mutual
    if event_type == "summon":
        return resolver.summons(key)
    if rule == "statement_concern" and key.lower_ in cues.FEELINGS:
        return resolver.concerned(key)
    if voice == "stimulus":
        if key.tag_.startswith("NN") and key.dep_ not in ("attr", "oprd", "appos", "dobj") and not amounts_to(key):
            return None  # "X is a hostile act", "X committed hostile acts": what X is or did, not a motive
        return resolver.evaluation(key)
    if key.tag_.startswith("NN"):
        if rule in VERB_ONLY:
            return None  # "condemn", "accuse" read as a noun: a headline the parser could not read
        if rule == "statement_protest" and not governing_verb(key).lower_.startswith(CONVEYING):
            return None  # "expelled X in protest at", "mass protests against": a motive, a street protest
        return resolver.note(key)
    if key.tag_.startswith("JJ"):
        return resolver.evaluation(key)
    return resolver.statement(key, rule)


def subject_state(article: Article, parsed: Parsed, sentence: Sentence, key) -> str | None:
    """The state a protest's grammatical subject names ("Nepal's foreign minister summoned"),
    not an envoy's (he speaks in the country he serves in), a note receiver's ("X rejected
    the note"), a group's or people's."""
    verb = governing_verb(key)
    subject = subject_of(verb) if not verb.lower_.startswith(RECEIVED) else None
    resolver = _Resolver(article, parsed, sentence)
    if subject is None or resolver.envoy_speaks(subject, key) or any(
            c.dep_ == "appos" and parsed.is_diplomat(c) for c in subject.children):
        return None
    codes, how = resolver.actors(subject, key)
    return codes[0] if how == "subject" else None

