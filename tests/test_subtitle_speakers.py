"""Speakers in SRT and WebVTT: labels in capitals, labels and dialogue dashes inside a cue, sound
descriptions that are not labels, and a lone named speaker that survives export and import."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.exporters import ExportOptions, export_text
from editor.exporters.subtitle_options import SubtitleOptions
from editor.importers._names import describes_sound
from editor.importing import load_transcript
from editor.model import Transcript


def srt(*cues: str) -> str:
    """An SRT file of the given cue bodies, two seconds each."""
    return "\n".join(
        f"{n}\n00:00:{2 * n - 1:02d},000 --> 00:00:{2 * n:02d},000\n{body}\n"
        for n, body in enumerate(cues, start=1)
    )


def load(tmp_path: Path, name: str, text: str) -> Transcript:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_transcript(path)


def turns(doc: Transcript) -> list[tuple[str, str]]:
    """(speaker, text) for each passage."""
    names = {s.id: s.name for s in doc.speakers}
    return [(names[p.speaker_id], p.text) for p in doc.passages]


def round_trip(tmp_path: Path, doc: Transcript, fmt: str) -> Transcript:
    out = export_text(doc, fmt, ExportOptions())
    assert isinstance(out, str)
    return load(tmp_path, f"again.{fmt}", out)


# -- labels in capitals --------------------------------------------------------------------


def test_bracketed_capitals_are_speakers(tmp_path: Path) -> None:
    # "[JOHN]" was taken for a sound tag: one Unknown passage with the labels in its text.
    doc = load(tmp_path, "b.srt", srt("[JOHN] Where were you?", "[MARY] At home.", "[JOHN] Alone?"))
    assert turns(doc) == [("JOHN", "Where were you?"), ("MARY", "At home."), ("JOHN", "Alone?")]


def test_capital_names_survive_an_srt_round_trip(tmp_path: Path) -> None:
    source = srt(
        "JOHN: Hello and welcome to the show.",
        "MARY: Thanks for having me, John.",
        "JOHN: This cue has\ntwo lines of text.",
        "MARY: Glad to be here.",
    )
    doc = load(tmp_path, "names.srt", source)
    again = round_trip(tmp_path, doc, "srt")
    assert turns(again) == turns(doc)
    assert [s.name for s in again.speakers] == ["JOHN", "MARY"]


def test_bracket_and_colon_labels_mix(tmp_path: Path) -> None:
    # With most cues labelled "Name:", a "[MARY]" cue was given to JOHN, label and all.
    doc = load(tmp_path, "m.srt", srt("JOHN: Where were you?", "[MARY] At home.", "JOHN: Alone?"))
    assert turns(doc) == [("JOHN", "Where were you?"), ("MARY", "At home."), ("JOHN", "Alone?")]


@pytest.mark.parametrize(
    "tag",
    [
        "[MUSIC]",
        "[APPLAUSE]",
        "[LAUGHTER]",
        "[INAUDIBLE]",
        "[CROSSTALK]",
        "[Music]",
        "[Music playing]",
        "[DOOR SLAMS]",
        "[PHONE RINGING]",
    ],
)
def test_sound_descriptions_are_not_speakers(tmp_path: Path, tag: str) -> None:
    doc = load(tmp_path, "s.srt", srt(f"{tag} Who is there?", f"It is me.\n{tag} Come in."))
    assert turns(doc) == [("Unknown", f"{tag} Who is there? It is me. {tag} Come in.")]


def test_sound_words_are_told_from_names() -> None:
    assert all(map(describes_sound, ["MUSIC", "Applause", "PHONE RINGING", "BLANK_AUDIO"]))
    assert not any(map(describes_sound, ["JOHN", "Mary Jones", "SPEAKER_00", "Ann Bell"]))


# -- another voice inside a cue ------------------------------------------------------------


def test_a_label_on_a_later_line_starts_another_voice(tmp_path: Path) -> None:
    doc = load(
        tmp_path,
        "l.srt",
        srt("[JOHN] Where were you?\n[MARY] At home.", "[JOHN] Alone?\n[MARY]\nYes."),
    )
    assert turns(doc) == [
        ("JOHN", "Where were you?"),
        ("MARY", "At home."),
        ("JOHN", "Alone?"),
        ("MARY", "Yes."),
    ]


def test_a_colon_label_inside_a_cue_needs_a_name_the_file_uses(tmp_path: Path) -> None:
    doc = load(
        tmp_path,
        "c.srt",
        srt(
            "JOHN: Where were you?\nMARY: At home.",
            "JOHN: The reason is\nSimple: we ran out.",
            "MARY: Fine.",
        ),
    )
    assert turns(doc) == [
        ("JOHN", "Where were you?"),
        ("MARY", "At home."),
        ("JOHN", "The reason is Simple: we ran out."),
        ("MARY", "Fine."),
    ]


def test_a_dashed_line_without_a_name_is_not_given_to_the_last_named_speaker(
    tmp_path: Path,
) -> None:
    # Both dashed lines went to MARY, though the dash says "Absolutely." is another voice.
    doc = load(
        tmp_path,
        "d.srt",
        srt(
            "JOHN: Hello and welcome.",
            "MARY: Thanks for having me.",
            "- Are you ready?\n- Absolutely.",
            "JOHN: Let's start.",
        ),
    )
    assert turns(doc) == [
        ("JOHN", "Hello and welcome."),
        ("MARY", "Thanks for having me."),
        ("Unknown", "Are you ready?"),
        ("Unknown", "Absolutely."),
        ("JOHN", "Let's start."),
    ]


def test_dashes_split_voices_and_named_dashes_keep_their_names(tmp_path: Path) -> None:
    unnamed = load(
        tmp_path, "u.srt", srt("- Where were you?\n- At home.", "- Alone?\n- Yes.", "Really.")
    )
    assert [text for _, text in turns(unnamed)] == [
        "Where were you?",
        "At home.",
        "Alone?",
        "Yes. Really.",  # a cue without a dash goes on with the voice before it
    ]
    named = load(tmp_path, "n.srt", srt("- JOHN: Where were you?\n- MARY: At home.", "[JOHN] So?"))
    assert turns(named) == [("JOHN", "Where were you?"), ("MARY", "At home."), ("JOHN", "So?")]


def test_a_dash_before_a_word_in_lower_case_goes_on_with_the_sentence(tmp_path: Path) -> None:
    """ "It was a pleasure / — really." gave "really." to an Unknown voice, without its dash;
    in a file of Name: labels that one line made every label text, and all of it Unknown."""
    labelled = load(
        tmp_path,
        "l.srt",
        srt("Ana: It was a pleasure\n— really.", "and I mean it.", "Ben: Good.", "See you."),
    )
    assert turns(labelled) == [
        ("Ana", "It was a pleasure — really. and I mean it."),
        ("Ben", "Good. See you."),
    ]
    voiced = load(
        tmp_path,
        "v.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>It was a pleasure\n- even so.\n\n"
        "00:00:04.500 --> 00:00:06.000\n<v Ben>Good.\n",
    )
    assert turns(voiced) == [("Ana", "It was a pleasure - even so."), ("Ben", "Good.")]


# -- one named speaker ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_a_lone_named_speaker_survives_export_and_import(tmp_path: Path, fmt: str) -> None:
    # No cue was labelled when there was one speaker, so the name came back as Unknown.
    text = "Ann Lee 00:00:01\n\nHello there. This is one long talk by one person.\n"
    doc = load(tmp_path, "solo.txt", text)
    again = round_trip(tmp_path, doc, fmt)
    assert [s.name for s in again.speakers] == ["Ann Lee"]
    assert [p.text for p in again.passages] == [p.text for p in doc.passages]


def test_a_lone_speaker_is_labelled_once_and_unknown_never(tmp_path: Path) -> None:
    doc = load(tmp_path, "solo.txt", "Ann Lee 00:00:01\n\n" + "Hello there, Bob. " * 30 + "\n")
    out = str(export_text(doc, "srt", ExportOptions()))
    assert out.count("[Ann Lee]") == 1 and out.split("\n")[2].startswith("[Ann Lee] ")
    # A dash names no one: with one speaker there is nothing for it to mark.
    dash = ExportOptions(subtitles=SubtitleOptions(srt_speaker_style="dash"))
    assert "\n- " not in str(export_text(doc, "srt", dash))
    plain = load(tmp_path, "plain.srt", srt("Hello there.", "Nobody is named here."))
    for fmt in ("srt", "vtt"):
        out = str(export_text(plain, fmt, ExportOptions()))
        assert "Unknown" not in out and "<v " not in out


# -- WebVTT: several voices in one cue -----------------------------------------------------


def test_two_voice_tags_in_one_cue_are_two_voices(tmp_path: Path) -> None:
    """Everything in the cue was given to the first voice."""
    doc = load(
        tmp_path,
        "two.vtt",
        "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Alice>Hi there</v> <v Bob>Hello Alice</v>\n\n"
        "00:03.500 --> 00:05.000\n<v Bob>Line one\n<v Alice>Line two by Alice\n",
    )
    assert turns(doc) == [
        ("Alice", "Hi there"),
        ("Bob", "Hello Alice Line one"),
        ("Alice", "Line two by Alice"),
    ]
    starts = [p.start for p in doc.passages]
    assert starts[0] == 1.0 and 1.0 < starts[1] < 3.0 and 3.5 < starts[2] < 5.0  # type: ignore[operator]


def test_dialogue_dashes_in_webvtt_are_other_voices(tmp_path: Path) -> None:
    """The dashes stayed in the text, and the lines were the speaker's before them."""
    doc = load(
        tmp_path,
        "dash.vtt",
        "WEBVTT\n\n00:01.000 --> 00:03.000\n<v John>Where were you?\n\n"
        "00:03.500 --> 00:05.000\n- Here.\n- There.\n",
    )
    assert turns(doc) == [("John", "Where were you?"), ("Unknown", "Here."), ("Unknown", "There.")]


def test_karaoke_words_survive_a_cue_of_two_voices(tmp_path: Path) -> None:
    doc = load(
        tmp_path,
        "k.vtt",
        "WEBVTT\n\n00:01.000 --> 00:03.000\n"
        "<v Ann>Yes<00:00:01.500> indeed</v> <v Bob>No<00:00:02.500> way</v>\n",
    )
    assert turns(doc) == [("Ann", "Yes indeed"), ("Bob", "No way")]
    assert [w.text for w in doc.words] == ["Yes", "indeed", "No", "way"]


def test_a_named_dash_in_a_file_of_bracket_labels(tmp_path: Path) -> None:
    """ "- MARY: Hi John." went to Unknown with "MARY:" left in the text: the file's other
    labels were brackets, so its "Name:" labels were not read at all."""
    doc = load(
        tmp_path,
        "e.srt",
        srt("[JOHN] Hello there.", "- MARY: Hi John.\n- Who is that?"),
    )
    assert turns(doc) == [
        ("JOHN", "Hello there."),
        ("MARY", "Hi John."),
        ("Unknown", "Who is that?"),
    ]
