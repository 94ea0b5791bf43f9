"""Who speaks: the states a subject phrase (or the quoted speaker) stands for. Rules stay
only where grammar cannot decide: pronouns and bare organs ("the ministry said") take the
quoted speaker, the article's last actor or its home state. A community, party or NGO, people
("the protesters", "Colombians"), a member of a party and an international body speak for no
state; an ambassador's own remarks are not his state's statement."""

from __future__ import annotations

from pipeline.extraction import cues
from pipeline.extraction.roles.phrases import Phrases
from pipeline.extraction.syntax import PRONOUNS, is_envoy, prep_objects, speaker_of
from pipeline.gazetteer import load_gazetteer

NGO = "NGO"
NOBODY = "nobody"  # the subject names who acts, and it is no state (the UN, "EU countries")
DOCUMENTS = frozenset({"resolution", "declaration", "report", "bill", "motion", "text", "document"})
MEMBER_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "head", "leader", "chairman", "chairwoman",
                          "chair", "member", "official", "deputy", "secretary", "director", "founder", "president"})
REPRESENTING = frozenset({"representative", "representatives", "spokesman", "spokeswoman", "spokesperson",
                          "association", "group", "groups"})  # (lawyers are PEOPLE already)
PEOPLE = frozenset({"protesters", "demonstrators", "crowds", "crowd", "people", "residents", "citizens", "students",
                    "muslims", "christians", "believers", "worshippers", "rioters", "mourners", "marchers", "mob", "mobs",
                    "youths", "fans", "hooligans",
                    # ... and private persons a nationality names ("a French researcher criticized ...")
                    "researcher", "researchers", "scholar", "scholars", "academic", "academics", "expert", "experts",
                    "analyst", "analysts", "journalist", "journalists", "reporter", "reporters", "writer", "writers",
                    "professor", "professors", "lawyer", "lawyers", "businessman", "businessmen", "blogger", "bloggers",
                    "commentator", "commentators", "historian", "historians", "scientist", "scientists", "national",
                    "nationals", "tourist", "tourists", "man", "men", "woman", "women",
                    # ... and those who suffered ("the representatives of Korean victims")
                    "victims", "survivors", "families", "relatives", "workers", "laborers", "labourers"})


class Resolver(Phrases):
    """The rules every kind of trigger shares: who speaks (here) and which states a phrase
    names (Phrases). summons.py, notes.py, statements.py and evaluations.py add each kind's."""

    def fallback(self, exclude: list[str] = (), ranked: bool = False, groups: bool = True) -> str | None:
        """The last actor named, else the home state (else, ranked, the state named most often:
        for a summoned or handed envoy's host when the home state is his). groups=False: not a
        group's (NGO) either, where no group's words can be meant (a summons, "the ministry")."""
        exclude = exclude if groups else [*exclude, NGO]
        article = self.article
        ranked_states = article.named_states if ranked else ()
        return next((c for c in (article.last_actor, article.home, *ranked_states) if c and c not in exclude), None)

    def in_group(self, token) -> bool:
        """A community, party, church or NGO is named in the phrase."""
        words = " ".join(t.text for t in own_words(token) if t.i not in self.parsed.entity_of)
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
        return bool(cues.INTERNATIONAL_BODY.search(" ".join(t.text for t in own_words(token))))

    def demonyms(self, token) -> bool:
        """A state's adjective read as a plural noun ("Latvians", "Iranians"): its people."""
        return self.parsed.kind(token) == "adjective" and token.tag_ in ("NNS", "NNPS")

    def people(self, token) -> bool:
        """"Colombians", "45 million Iranians", "the protesters": people, not their state."""
        entity = self.parsed.entity_of.get(token.i)
        if entity is not None:
            plural = entity.surface.endswith("s") and not entity.surface.endswith("ss")  # not "Swiss"
            return self.demonyms(token) and plural
        # "the representatives of Korean victims": who speaks for private people is no state organ
        return token.lower_ in PEOPLE or token.lower_ in REPRESENTING and any(
            o.lower_ in PEOPLE for o in prep_objects(token, ("of", "for")))

    def actors(self, subject, key, exclude: list[str] = (), groups: bool = True) -> tuple[list[str], str]:
        """The states a subject phrase stands for, with how they were found. groups=False: what
        is guessed (the last actor, the home state) is never a group (NGO); a group the phrase
        names still is one."""
        exclude = exclude if groups else [*exclude, NGO]
        if subject is not None:
            # "X, spokesman for the ruling party, condemned": a member's words, not a state's; nor the UN's
            if self.member(subject) and self.in_group(subject) or self.international(subject):
                return [], NOBODY
            if self.group_word(subject) or self.the_group(subject):
                return [NGO], "ngo"
            # ... nor organs that investigate or judge ("the Danish police accused Iran")
            if cues.JUDICIAL.fullmatch(subject.text) or self.people(subject) or (subject.lower_ == "they" and any(
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
        if subject is not None and subject.lower_ in cues.GROUP_NOUNS:
            return [], ""  # "several governments condemned": no one state to guess
        if subject is not None and subject.lower_ == "it" and (codes := self.state_above(subject, exclude)):
            return codes, "subject"
        if subject is None or subject.lower_ in PRONOUNS or cues.STATE_ORGAN.search(subject.text):
            organ = subject is not None and subject.lower_ not in PRONOUNS  # "the ministry" is no group's
            fallback = self.fallback(exclude, groups=not organ)
            return ([fallback], "context") if fallback else ([], "")
        if subject.lower_ in DOCUMENTS and key.dep_ not in ("relcl", "acl") and self.article.lead_target \
                and self.article.lead_target not in exclude and not self.uncoded_author(subject):
            # "The resolution condemns ...": the resolution the article is about, by the state
            # whose act the article's first protest was against.
            return [self.article.lead_target], "document"
        return [], ""  # "the resolution condemns ...": nobody we can name protests

    def state_above(self, pronoun, exclude) -> list[str]:
        """"Peru reacted, releasing a statement saying it condemns ...": "it" is the state that is
        the subject of a clause above its own, named before it."""
        for verb in pronoun.head.ancestors:
            for subject in (c for c in verb.children if c.dep_ == "nsubj" and c.i < pronoun.i):
                codes = [c for c in self.parsed.first_states(subject, strict=True) if c not in exclude]
                if codes:
                    return codes
        return []

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
        if all(load_gazetteer().is_shared_ministry(e) for e in named) and not any(
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


def own_words(phrase) -> list:
    """A phrase's words but for the examples it lists ("nations, including A, B and the OIC"):
    a body or group among the examples does not make the phrase that body's."""
    listed = {t.i for c in phrase.children if c.dep_ == "prep" and c.lower_ == "including" for t in c.subtree}
    return [t for t in phrase.subtree if t.i not in listed]
