"""Extraction, sentence by sentence: tables of input and the expected (speaker, cue, content).

Each row is a sentence a news article might hold. Rows name the speaker as quotetrace should
resolve it, the cue's lemma, the kind, and the quote's exact words.
"""

from __future__ import annotations

import pytest

from quotetrace.runner import extract


def quotes_of(text, nlp, **kw):
    return extract(text, nlp=nlp, **kw)


def only(text, nlp):
    found = [q for q in quotes_of(text, nlp) if q.parent is None]
    assert len(found) == 1, [(q.kind, q.text) for q in found]
    return found[0]


DIRECT = [
    # straight double quotes, cue after
    ('"We will not back down," Mayor Jane Doe said.', "Jane Doe", "say", "We will not back down"),
    # curly double quotes, cue before with a colon
    ("The minister told reporters: “The talks have failed.”", "minister", "tell", "The talks have failed."),
    # inverted order: said + name
    ("“Prices will rise next year,” said Maria Lopez, an economist at the bank.", "Maria Lopez", "say", "Prices will rise next year"),
    # guillemets
    ("«Nous continuerons», a declared nothing; Pierre Martin said «the plan stands».", "Pierre Martin", "say", "the plan stands"),
    # British single quotes, with an apostrophe inside a word
    ("‘We don’t accept the ruling,’ Sir John Smith said.", "John Smith", "say", "We don’t accept the ruling"),
    # mismatched pair: curly open, straight close
    ('“The deal is off," Tom Baker said.', "Tom Baker", "say", "The deal is off"),
    # a one-word answer right before its cue
    ("“Yes,” Mr. Barr said.", "Barr", "say", "Yes"),
    # pronoun resolves to the person introduced before
    ("Senator Anna Reyes spoke on Monday. “This bill is a disgrace,” she told reporters.", "Anna Reyes", "tell", "This bill is a disgrace"),
]


@pytest.mark.parametrize("text,speaker,cue,content", DIRECT)
def test_direct_quotes(text, speaker, cue, content, nlp):
    quotes = [q for q in quotes_of(text, nlp) if q.kind == "direct" and q.text == content]
    assert quotes, [(q.kind, q.text) for q in quotes_of(text, nlp)]
    q = quotes[0]
    assert q.speaker is not None and speaker in q.speaker.name
    assert q.cue is not None and q.cue.lemma == cue
    assert text[q.start:q.end] == q.text


INDIRECT = [
    ("The mayor said that the bridge would reopen in May.", "mayor", "say", "the bridge would reopen in May"),
    ("Prices will fall next year, Finance Minister Carl Berg told parliament on Tuesday.", "Carl Berg", "tell",
     "Prices will fall next year"),
    ("According to the Health Ministry, 40 people were injured in the blast.", "Health Ministry", "according to",
     "40 people were injured in the blast"),
    ("Analysts noted that the currency had weakened sharply.", "Analysts", "note", "the currency had weakened sharply"),
    ("Ahmed Khan warned that the dam could fail, adding that no one had listened.", "Ahmed Khan", "warn",
     "the dam could fail"),
    ("Following the meeting, Lee was reported to have said he believed progress had been made.", "Lee", "say",
     "he believed progress had been made"),
    # a wire's dateline opens the paragraph, not what was said
    ("KARSVIK (Nordwire) — The election commission on Thursday ordered a recount in three districts, "
     "officials said.", "officials", "say", "The election commission on Thursday ordered a recount in three districts"),
    ("VELL, Ostland, March 3 (Nordwire) - Fuel taxes will rise next year, Finance Minister Erik Sand told parliament.",
     "Erik Sand", "tell", "Fuel taxes will rise next year"),
    # a "that" the parser reads as a determiner after a comma, or as an object, still opens the clause
    ("Kapoor noted, however, that turnout in the three districts had been unusually low.", "Kapoor", "note",
     "turnout in the three districts had been unusually low"),
    ("Ivo Brandt said in remarks broadcast on state television that the army had withdrawn.", "Ivo Brandt", "say",
     "the army had withdrawn"),
    # "As X noted, ...": the clause the aside stands in
    ("As Councillor Ilse Varga noted, the road has not been repaved since 1990.", "Ilse Varga", "note",
     "the road has not been repaved since 1990"),
    # an aside before the clause's "that" is not what was said (the parser hangs it on the clause)
    ("The Ostvale Ledger reported, citing unnamed port officials, that the talks had collapsed.", "Ostvale Ledger",
     "report", "the talks had collapsed"),
    ("Ilse Varga said, citing two surveys, that turnout had fallen.", "Ilse Varga", "say", "turnout had fallen"),
    # the clause's subject the parser took for the cue's object
    # the outlet after the comma, set by the parser beside the clause's object, is no part of the clause
    ("The ministry summoned the ambassador, state news agency Vesta reported.", "Vesta", "report",
     "The ministry summoned the ambassador"),
]


@pytest.mark.parametrize("text,speaker,cue,content", INDIRECT)
def test_reported_speech(text, speaker, cue, content, nlp):
    quotes = quotes_of(text, nlp)
    match = [q for q in quotes if q.text == content]
    assert match, [(q.kind, q.text) for q in quotes]
    q = match[0]
    assert q.kind == "indirect"
    assert q.speaker is not None and speaker.lower() in q.speaker.name.lower()
    assert q.cue is not None and q.cue.lemma == cue


def test_partial_quote_makes_a_mixed_quote(nlp):
    text = "Biegun told his counterpart that Washington wants progress “simultaneously and in parallel.”"
    q = only(text, nlp)
    assert q.kind == "mixed"
    assert q.text.startswith("Washington wants progress")
    assert q.speaker.name == "Biegun"
    assert q.addressee is not None and "counterpart" in q.addressee.name


def test_a_clause_subject_taken_for_the_cue_object_opens_the_clause(nlp):
    text = 'The White Hart Society, a conservation group, warned the dam would "destroy" the valley.'
    q = only(text, nlp)
    assert (q.kind, q.text, q.speaker.name) == ("mixed", 'the dam would "destroy" the valley', "White Hart Society")


def test_quoted_as_saying_gives_the_quoted_person_and_the_relay(nlp):
    text = ("Anna Berg met Omar Haddad in April. According to the ministry, Berg quoted Haddad as saying "
            "“security” is central to the talks.")
    q = [q for q in quotes_of(text, nlp) if "central" in q.text][0]
    assert q.speaker.name == "Omar Haddad"
    relations = {v.relation: v.name for v in q.via}
    assert relations.get("quoted_by") == "Anna Berg"
    assert "ministry" in relations.get("according_to", "")


def test_nested_report_inside_a_direct_quote(nlp):
    text = ("“The president told the prime minister that the border would stay open,” "
            "spokesman Paul Grant told reporters.")
    quotes = quotes_of(text, nlp)
    outer = [q for q in quotes if q.kind == "direct"]
    inner = [q for q in quotes if q.parent is not None]
    assert len(outer) == 1 and outer[0].speaker.name == "Paul Grant"
    assert inner and inner[0].parent == outer[0].id
    assert inner[0].text == "the border would stay open"
    assert "president" in inner[0].speaker.name.lower()


def test_multi_paragraph_quote_is_one_quote_per_paragraph(nlp):
    text = ("“We have reviewed the evidence carefully and found nothing to support the claim.\n\n"
            "“We will publish the full report next week,” said Dana White, the agency’s director.\n")
    quotes = [q for q in quotes_of(text, nlp) if q.kind == "direct"]
    assert [q.text for q in quotes] == [
        "We have reviewed the evidence carefully and found nothing to support the claim.",
        "We will publish the full report next week",
    ]
    assert {q.speaker.name for q in quotes} == {"Dana White"}


@pytest.mark.parametrize("text", [
    "Ana Ode said: “We have done everything we can.\n\nThe rest is up to them.”\n\nOfficials declined to comment.\n",
    "“We have done everything we can.\n\nThe rest is up to them,” Ana Ode said.\n",
])
def test_a_quote_that_runs_over_a_paragraph_break_without_reopening_is_one_quote(nlp, text):
    quotes = [q for q in quotes_of(text, nlp) if q.kind == "direct"]
    assert [text[q.start:q.end] for q in quotes] == ["We have done everything we can.\n\nThe rest is up to them"
                                                    + ("." if "them.”" in text else "")]
    assert quotes[0].speaker is not None and quotes[0].speaker.name == "Ana Ode"


def test_a_pull_quote_signed_inside_its_marks_has_the_signer_as_speaker(nlp):
    text = ("The premier spoke on Monday.\n\nThe debate went on.\n\n"
            "“I worry that we may see a resurgence of old ideas as the premier tries to set herself apart.\n"
            "Tomas Reid, Ostvale Policy Institute.”\n\nThe premier spoke next.\n")
    quotes = [q for q in quotes_of(text, nlp) if q.kind == "direct"]
    assert [q.text for q in quotes] == ["I worry that we may see a resurgence of old ideas as the premier tries to set herself apart."]
    assert quotes[0].speaker.name == "Tomas Reid" and quotes[0].method == "direct_signature"


def test_unattributed_paragraph_continues_the_previous_speaker(nlp):
    text = ("“The talks went well,” Premier Li Wei said.\n\n"
            "“We expect a second round in the autumn and a signed agreement by the end of the year.”\n")
    quotes = [q for q in quotes_of(text, nlp) if q.kind == "direct"]
    assert len(quotes) == 2
    assert quotes[1].speaker is not None and quotes[1].speaker.name == "Li Wei"
    assert quotes[1].method == "continuation"


def test_headline_claim_colon_speaker(nlp):
    text = "Rates must rise to tame inflation: Lagarde\n\nThe central bank chief spoke in Frankfurt.\n"
    q = [q for q in quotes_of(text, nlp) if q.cue and q.cue.lemma == ":"]
    assert q and q[0].text == "Rates must rise to tame inflation"
    assert q[0].speaker.name == "Lagarde"


NOT_QUOTES = [
    # scare quotes
    "The two sides discussed the so-called “nine bridges” plan in February.",
    # a book title
    "Her memoir, “A Promised Land,” sold well in Europe.",
    # apostrophes and possessives are not quote marks
    "The Joneses’ house and Kim’s car were damaged in the ’90s storm, as were the officials' cars.",
    # a hypothetical is not a report
    "If they believe the claim, they will act.",
]


@pytest.mark.parametrize("text", NOT_QUOTES)
def test_negatives(text, nlp):
    assert quotes_of(text, nlp) == []


def test_byline_reporter_is_never_the_speaker(nlp):
    text = ("By Kim Yoo-chul\n\nSEOUL _ North Korean leader Kim Jong-un met officials on Friday.\n\n"
            "Kim said the country would expand its navy.\n")
    q = only(text, nlp)
    assert q.speaker.name == "Kim Jong-un"


def test_misspelled_surname_resolves_to_the_named_person(nlp):
    text = ("Chancellor Angela Merkel met the delegation on Friday.\n\n"
            "During the meeting, Merkell told the delegates that Germany would help.\n")
    q = only(text, nlp)
    assert q.speaker.name == "Angela Merkel"


def test_description_resolves_to_the_person_with_that_role(nlp):
    text = ("Russian President Vladimir Putin met the delegation on Friday.\n\n"
            "The Russian leader said the talks had been useful.\n")
    q = only(text, nlp)
    assert q.speaker.name == "Vladimir Putin"
    assert q.speaker.mention.text == "The Russian leader"


def test_offsets_point_at_the_exact_words(nlp):
    text = "Intro line.\n\n“Ça va,” dit-il. The chief executive, Tom Ford, said profits rose 5%.\n"
    for q in quotes_of(text, nlp):
        assert text[q.start:q.end] == q.text
        if q.cue:
            assert text[q.cue.start:q.cue.end] == q.cue.text
        if q.speaker and q.speaker.mention:
            m = q.speaker.mention
            assert text[m.start:m.end] == m.text


def test_unbalanced_mark_costs_only_its_span(nlp, caplog):
    text = ("“This has gone too far, Jane Roe said.\n\n"
            "“We will appeal the ruling,” attorney Mark Fine said.\n")
    quotes = quotes_of(text, nlp)
    assert any(q.text == "We will appeal the ruling" and q.speaker.name == "Mark Fine" for q in quotes)


def test_headline_speaker_colon_claim(nlp):
    text = "Lagarde: Rates must rise to tame inflation\n\nThe central bank chief spoke in Frankfurt.\n"
    q = [q for q in quotes_of(text, nlp) if q.cue and q.cue.lemma == ":"]
    assert q and q[0].text == "Rates must rise to tame inflation"
    assert q[0].speaker.name == "Lagarde"


def test_headline_labels_are_not_speakers(nlp):
    text = "WATCH: The storm hits the coast at dawn\n\nThe storm hit the coast.\n"
    assert [q for q in quotes_of(text, nlp) if q.cue and q.cue.lemma == ":"] == []


def test_transcript_lines(nlp):
    text = ("Senator Mary Fallin spoke to Jake Tapper on Sunday.\n\n"
            "TAPPER: Do you think the campaign has changed its tone lately?\n\n"
            "FALLIN: I think he is trying to campaign as a healer this week.\n")
    lines = {q.text: q.speaker.name for q in quotes_of(text, nlp) if q.method == "transcript"}
    assert lines == {"Do you think the campaign has changed its tone lately?": "Jake Tapper",
                     "I think he is trying to campaign as a healer this week.": "Mary Fallin"}


def test_a_transcript_label_in_capitals_is_shown_as_a_name(nlp):
    text = ("ANDERSON VALE, EVENING HOST: Senator, thank you for joining us tonight.\n\n"
            "QUILL: Thank you. We lost the vote, and we will try again next spring.\n")
    names = [q.speaker.name for q in quotes_of(text, nlp) if q.method == "transcript"]
    assert names[0] == "Anderson Vale"


def test_a_reported_clause_ends_before_the_source_that_closes_it(nlp):
    text = ("The governor, Mira Holt, said rates would rise and that inflation was too high, "
            "according to the state news agency.")
    texts = [q.text for q in quotes_of(text, nlp)]
    assert "rates would rise and that inflation was too high" in texts
    assert not any("according" in t for t in texts)


@pytest.mark.parametrize("text", [
    "The port of Vell will close for six weeks of repairs, harbour master Jonas Ekholm told the Vell Herald.",
    "The port will shut for six weeks while repairs are made, harbour master Jonas Ekholm said.",
])
def test_a_role_word_the_tagger_split_off_stays_the_speakers(nlp, text):
    (q,) = quotes_of(text, nlp)
    assert (q.speaker.name, q.speaker.role) == ("Jonas Ekholm", "harbour master")
    assert not q.text.endswith("harbour")


@pytest.mark.parametrize("text", [
    "'We will rebuild,' said Ms Ruiz, 'every single house.'",
    '"We will rebuild," said Ana Ruiz, "every single house."',
])
def test_the_second_half_of_a_split_quote_is_no_role(nlp, text):
    quotes = quotes_of(text, nlp)
    assert [q.text for q in quotes] == ["We will rebuild", "every single house."]
    assert all(q.speaker.role is None for q in quotes)


def test_an_age_is_no_role(nlp):
    (q,) = quotes_of('"This is unacceptable," Vale, 52, told reporters in Vell on Friday.', nlp)
    assert (q.speaker.name, q.speaker.role) == ("Vale", None)


@pytest.mark.parametrize(("text", "issuer"), [
    ("The report, published by the Ostvale Institute on Monday, found that wages had fallen.", "Ostvale Institute"),
    ("The statement, issued by the Lanrovian foreign ministry, said that the talks would resume.", "foreign ministry"),
    ("A statement issued by the Lanrovian foreign ministry said that the talks would resume.", "foreign ministry"),
    ("A statement from the Lanrovian foreign ministry said that the talks would resume.", "foreign ministry"),
])
def test_the_issuer_of_a_document_is_its_speaker_and_not_its_carrier(nlp, text, issuer):
    q = only(text, nlp)
    assert q.speaker is not None and q.speaker.name.endswith(issuer), q.speaker
    assert not {"statement", "report"} & set(q.speaker.name.lower().split()), q.speaker  # never the document
    assert q.speaker.name not in [v.name for v in q.via]


@pytest.mark.parametrize(("text", "reports"), [
    ("Reid said he was tired but that it was a good meeting.", {"he was tired", "it was a good meeting"}),
    ("Ana Lisk said the port was shut but that it would reopen in May.", {"the port was shut", "it would reopen in May"}),
    # "and that" goes on with the same report
    ("Ana Lisk said that the port was shut and that it would reopen in May.",
     {"the port was shut and that it would reopen in May"}),
])
def test_said_a_but_that_b_is_two_reports_each_with_its_own_words(nlp, text, reports):
    assert {q.text for q in quotes_of(text, nlp)} == reports
