"""Speaker turns in English and Chinese transcripts."""

from gtcode.text.speakers import role_of, speaker_at, speaker_turns

ENGLISH = """Date: 2023-03-01
Interviewer: How do you use the platform?
Respondent 3: Mostly for health care.
I also use it for school.

Q: And your children?
A：They study online.
R1: yes
I2: ok
P3: fine
Dr. Wang: I agree.
Li Ming: me too.
Note: the recording stopped here.
The problem is: nothing works.
http://example.com
"""

CHINESE = """采访者：您平时怎么用这个平台？
受访者A：主要是看病挂号。
我觉得最大的问题是：网络太慢。
问：还有呢？
答：没有了。
主持人：好的，谢谢。
张老师：同意。
备注：录音到此结束
"""


def labels(text, kind):
    return [(t.speaker, t.role) for t in speaker_turns(text, kind)]


def test_english_interview():
    assert labels(ENGLISH, "interview") == [
        ("Interviewer", "interviewer"), ("Respondent 3", "respondent"), ("Q", "interviewer"),
        ("A", "respondent"), ("R1", "respondent"), ("I2", "interviewer"), ("P3", "respondent"),
        ("Dr. Wang", None), ("Li Ming", None),
    ]
    turns = speaker_turns(ENGLISH, "interview")
    second = turns[1]
    assert ENGLISH[second.body_start : second.end] == "Mostly for health care.\nI also use it for school."
    last = turns[-1]
    assert ENGLISH[last.start : last.end].endswith("http://example.com")


def test_non_interview_accepts_known_labels_only():
    assert [s for s, _ in labels(ENGLISH, None)] == ["Interviewer", "Respondent 3", "Q", "A", "Dr. Wang"]
    assert speaker_turns("A1: Information sharing (aa1, aa2)\n", "paper") == []
    assert speaker_turns("Note: the data are from 2020.\nSummary: fine.\n", "policy") == []


def test_chinese_interview():
    assert labels(CHINESE, "interview") == [
        ("采访者", "interviewer"), ("受访者A", "respondent"), ("问", "interviewer"), ("答", "respondent"),
        ("主持人", "interviewer"), ("张老师", None),
    ]
    second = speaker_turns(CHINESE, "interview")[1]
    assert CHINESE[second.body_start : second.end] == "主要是看病挂号。\n我觉得最大的问题是：网络太慢。"


def test_speaker_at():
    turns = speaker_turns(CHINESE, "interview")
    offset = CHINESE.index("网络太慢")
    assert speaker_at(turns, offset).speaker == "受访者A"
    assert speaker_at(turns, CHINESE.index("您平时")).role == "interviewer"
    assert speaker_at([], 3) is None
    assert speaker_at(speaker_turns("Intro line\nQ: hi", None), 2) is None


def test_roles():
    assert role_of("Interviewee") == "respondent"
    assert role_of("I") == "interviewer"
    assert role_of("Participant B") == "respondent"
    assert role_of("Ian") is None


def test_header_fields_are_not_speakers():
    text = ("访谈时间：2021年3月5日\n访谈地点：村委会\n受访者编号：R07\n性别：女\n访谈：2021年3月5日 下午\n"
            "采访者：您好。\n受访者：你好。\nInterview date: 5 March\nPlace of interview: the clinic\n"
            "Interviewer: Thank you.\n")
    assert labels(text, "interview") == [("采访者", "interviewer"), ("受访者", "respondent"),
                                         ("Interviewer", "interviewer")]


def test_a_label_needs_an_utterance():
    text = "Participants:\nWang Li:\nInterviewer: How far is the clinic?\nWang Li: Far.\n张明：\n问：远吗？\n"
    assert labels(text, "interview") == [("Interviewer", "interviewer"), ("Wang Li", None), ("问", "interviewer")]


def test_a_header_line_describing_the_respondent_is_no_turn():
    text = ("访谈对象：王女士，45岁，村民\n受访者信息：女，45岁，小学\n采访者：您好，请问您多大年纪，做什么工作？\n"
            "受访者：45岁，务农。\n")
    assert labels(text, "interview") == [("采访者", "interviewer"), ("受访者", "respondent")]
    turns = speaker_turns(text, "interview")
    assert text[turns[1].body_start:turns[1].end] == "45岁，务农。"  # the same words later are an answer
    english = ("Interviewee: Mrs Wang, 45, farmer\nInterviewee information: female, aged 45\n"
               "Interviewer: Hello.\nInterviewee: Hello, yes, I am 45, female.\n")
    assert labels(english, "interview") == [("Interviewer", "interviewer"), ("Interviewee", "respondent")]
    assert labels("受访者：是的，我觉得挺好。\n采访者：好。\n", "interview") == [
        ("受访者", "respondent"), ("采访者", "interviewer")]  # an utterance, not a description
    assert labels("Interviewee: yes, well, 45 minutes by bus\nInterviewer: So far?\n", "interview") == [
        ("Interviewee", "respondent"), ("Interviewer", "interviewer")]


def test_turns_at_is_speaker_at_for_offsets_in_any_order():
    from gtcode.text.speakers import speaker_at, speaker_turns, turns_at

    text = "Intro line.\nQ: How far?\n\nA: Very far. We walk.\n受访者：很远。\n"
    turns = speaker_turns(text, kind="interview")
    offsets = list(range(len(text) + 1))
    for order in (offsets, offsets[::-1], offsets[::3] + offsets[1::3]):
        assert turns_at(turns, order) == [speaker_at(turns, offset) for offset in order]
    assert {t.speaker for t in turns_at(turns, offsets) if t} == {"Q", "A", "受访者"} and turns_at([], [0, 5]) == [None, None]
