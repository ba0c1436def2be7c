"""Rebuild the demo corpus's Word transcripts: run once with `python corpora/demo/_make_docx.py`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent

WORKSHOP_COMMUNITY_INTRO = [
    "Themed workshop on community (ambition six)",
    "Online workshop on Teams, ninety minutes. Six participants and one facilitator.",
]

WORKSHOP_COMMUNITY = """\
Facilitator: Welcome, everyone, to our workshop on community. We chose this theme because in the interviews and focus groups, ambition six, each community is prepared to help, was the one people found hardest to pin down. We're recording, and it'll be anonymised. Could we do a quick round of names and where you're coming from?
Gareth Pryce: Gareth, I coordinate a compassionate neighbours scheme in Kilnworth. Some of you will have met me already.
Hannah Lindqvist: Hi, I'm Hannah. I'm a lecturer in public health, I've worked on compassionate communities projects for about ten years.
Yusuf Patel: Assalamu alaikum, everyone. Yusuf. I volunteer at the Al-Noor Centre in Brackley Vale, I run our bereavement support and I help coordinate the funeral arrangements for families.
Carol Beckwith: Hello, Carol. I'm just a member of the public, really. I cared for my mum and then my husband. I help run a carers' group in Oakhurst.
Marcus Ojo: Hi all, Marcus, community engagement lead at Harrowfield Hospice.
Rose Tennant: Rose, I manage a community palliative care team. I was in one of the focus groups too.
Facilitator: Thank you. Carol, I'd just say there's no "just" about it. Let's start with a simple question. When you hear the word "community" in ambition six, what comes to mind?
Carol Beckwith: People. My neighbours, my friends, the carers' group. People who turn up.
Yusuf Patel: For me, the mosque community. But also the wider Muslim community in Brackley Vale, and also my street, which is very mixed. I belong to several communities at once.
Hannah Lindqvist: In the literature there are lots of definitions. Communities of place, like a town or a neighbourhood. Communities of identity or interest, people who share a faith or a condition or a hobby. And then community as a feeling, a sense of belonging. The framework uses the word without saying which.
Marcus Ojo: And in the hospice, honestly, it's often used to mean "the public", as in "not us". When my colleagues say "we need to engage the community", they usually mean people who aren't staff or patients.
Rose Tennant: Or in my world it means "not the hospital". Community services. Which is a place, really, people's homes.
Gareth Pryce: And when commissioners say it, it means the voluntary sector. Groups like mine. A type of provider.
Facilitator: That's already five or six meanings. Does it matter that people mean different things?
Hannah Lindqvist: I think it does, because how you understand community shapes what you think you can do. If community is "the public", you do public awareness campaigns. If it's a place, you might work with the parish council or the school. If it's a group with shared characteristics, you do targeted outreach. And if it's belonging, you support what people already do for each other.
Yusuf Patel: And whether you see yourself in it. When the hospice came to us the first time, they saw us as a community out there, a "hard to reach group". But we are not hard to reach, we are two streets from the hospice! We were just never asked.
Marcus Ojo: That's fair, Yusuf. We had to learn that. We came with an advance care planning leaflet translated into Urdu, and it was very politely received, and nothing happened.
Yusuf Patel: It was a good leaflet! But it answered questions nobody had asked.
Marcus Ojo: Ha, yes. The second time we came and asked what support families needed, and we ended up helping with something completely different, getting the death certificate issued quickly at weekends so burials could happen on time. That was what mattered.
Facilitator: So listening changed the work.
Yusuf Patel: Listening, and coming back. Many people come once. Marcus came back every month for a year. Now we trust him. If he rings, I answer.
Facilitator: What gets in the way of communities being prepared to help?
Carol Beckwith: Nobody thinks it's their job. The hospice thinks it's the council's. The council thinks it's the NHS. The NHS thinks it's the hospice. And in the meantime I'm in my kitchen at midnight trying to work out what to do.
Rose Tennant: I'm guilty of that. In my team, I've always thought community development is someone else's job. We haven't got time. And that's true, we haven't. But it means it never happens.
Marcus Ojo: The other big one for us is that inside the hospice, community engagement gets confused with fundraising. Because the fundraising team are the ones out in the community all the time. When I started, the first question from our director was, what's the income target for your role? And I said, there isn't one, that's not what this is.
Gareth Pryce: And then there's the directory problem. I've got it. Marcus has probably got it. One person ends up knowing everybody. Everyone rings that person. And if that person goes, it all goes.
Marcus Ojo: Definitely. I'm trying to get my contacts into a shared database, but our IT won't let me put in community contacts without a data protection assessment. So they're still on my phone.
Gareth Pryce: Bureaucracy. It's the same for us. I've spent more time on forms than on volunteers this year.
Hannah Lindqvist: And I'd add unclear shared goals. Everyone around the table wants something different. The hospice wants referrals, the council wants less loneliness, the ICB wants fewer hospital deaths, the community group wants to keep doing what it does. Nobody's asked what the shared goal is.
Carol Beckwith: And it takes time. Relationships take years. But funding lasts one year, or eighteen months. By the time you've got to know each other, the money's gone and the worker leaves.
Facilitator: What helps?
Gareth Pryce: Somewhere to meet. I keep saying it. We're in the back of a pub because we lost our room.
Carol Beckwith: Our carers' group meets in the library at Oakhurst for free, and it's a lifeline. If the library charged, we'd stop.
Yusuf Patel: Money for people to meet each other, not for projects. The best thing that happened last year was a lunch that Marcus organised with all the groups in Brackley Vale who do anything with death and dying. The church, us, the Sikh gurdwara, the bereavement cafe, the funeral director. We met, we ate, we swapped numbers. Now we ring each other.
Marcus Ojo: That lunch cost about three hundred pounds. Best three hundred pounds we ever spent.
Hannah Lindqvist: That's really consistent with the evidence. Networking funding is small but it's what nobody funds.
Rose Tennant: Building on volunteers who are already there. We don't need to create new things. There's a compassionate neighbours scheme, there's a bereavement cafe. We should be supporting them, and referring to them.
Gareth Pryce: And valuing what community people know. Our volunteers have sat with more dying people than some professionals. Carol knows more about caring at home than most of the leaflets.
Carol Beckwith: Well. I learned the hard way.
Hannah Lindqvist: That's expertise, though, Carol. Lived experience is expertise. The guide should say that.
Facilitator: What about the role of organisations like hospices and the NHS?
Marcus Ojo: I think our role is to support, not to lead. Offer space, offer training if people want it, offer a bit of money, and then get out of the way.
Yusuf Patel: And be there when we need you. When a family needs a doctor at the weekend to sign the paperwork for a burial, that's when we need the NHS. Not for a leaflet.
Rose Tennant: And actually, we're part of the community too. I live in Saltmere. My kids go to the school. When I take off my uniform, I'm a neighbour. I think professionals forget that.
Carol Beckwith: That's nice to hear.
Facilitator: If you could change one thing about how ambition six is described, what would it be?
Hannah Lindqvist: Define community, or at least acknowledge the different meanings.
Yusuf Patel: Say communities already know how to care for the dying. Start there.
Gareth Pryce: Put money into the infrastructure. Volunteers aren't free.
Carol Beckwith: Remember the carers. We are the community that does the most and gets asked the least.
Marcus Ojo: Say clearly that it's everyone's job, and then say whose job it is to hold it together.
Rose Tennant: And that it takes time. Don't expect results in a year.
Facilitator: Thank you so much, all of you. That's been one of the richest discussions we've had.
"""

INTERVIEW_CHAPLAIN_INTRO = [
    "Case-study interview 05",
    "Online interview on Teams with a hospital chaplain. Transcribed from the recording.",
]

INTERVIEW_CHAPLAIN = """\
Interviewer: Thank you for agreeing to talk to me. Could you start by telling me a little about yourself and your role?
Faith Okonkwo: Of course. I'm Faith Okonkwo, I'm 58 and a chaplain, I lead the chaplaincy and spiritual care team at North Wendover NHS Foundation Trust. So that's the main hospital and two community hospitals. I've been a chaplain for nineteen years, and before that I was a nurse, on a medical ward, so I've seen a lot of dying.
Interviewer: How did you first come across the Ambitions framework?
Faith Okonkwo: Through the trust's end of life care steering group. I sit on it, mainly, I think, because someone realised spiritual care should be in the room. When they were writing the trust strategy around the six ambitions, I was asked to contribute to the chapter on ambition one and ambition three.
Interviewer: What did you make of it?
Faith Okonkwo: I was pleased, actually. Because spiritual care is in there. Not as much as I'd like, but it's there. Comfort and wellbeing is described as physical, psychological, social and spiritual. And when you're a chaplain, you spend a lot of your career justifying why you exist. So to have a national document that says spiritual needs matter was helpful. I've quoted it many times.
Interviewer: How do you interpret the ambitions in your own work?
Faith Okonkwo: For me, ambition one, each person is seen as an individual, is the heart of it. Who is this person? What gives their life meaning? What are they afraid of? Some people want prayer, some want a priest or an imam, some want to talk about their garden, some want to be angry. Spiritual care is not the same as religious care, though people often think it is. A lot of my work is with people with no faith at all.
Interviewer: Do you feel the ward staff see it that way?
Faith Okonkwo: Some do. Many think spiritual care means calling the chaplain. Which is fine, I'm glad they call! But actually every nurse can ask, what's important to you right now? That's spiritual care. So a big part of my job is education. I run a session on the trust's end of life care training, and I try to get the message across that everybody can do the basics. That's ambition five, all staff prepared to care.
Interviewer: How is that training going?
Faith Okonkwo: It's been hard to keep going. We've had so much turnover of staff. On Larch Ward, which has a lot of end of life patients, I think three quarters of the nurses have changed in two years. Many of them are international nurses, wonderful nurses, but they come from very different cultural and religious backgrounds, and talking about death in an English hospital is different. So I'm always starting again. And the training slot keeps getting cut because the wards can't release staff.
Interviewer: What helps?
Faith Okonkwo: Champions. We have a spiritual care champion on each ward now. Usually a nurse or a healthcare assistant who's interested. I meet them every two months, we share stories, I give them resources. And they bring it back to the ward. It's much more effective than me trying to train everyone. One of them, Will, a healthcare assistant on Larch, is just a natural. He'll sit with a frightened patient at night and hold their hand. The others learn from watching him.
Interviewer: Let's talk about community. How do you understand community in ambition six?
Faith Okonkwo: For me, community means the faith communities, first of all. Because that's my world. The churches, the mosques, the gurdwaras, the temples, the synagogue in Brackley Vale. And they are often the first line of support for a dying person and their family. Long before the NHS arrives, and long after it has gone.
Interviewer: And do you work with them?
Faith Okonkwo: I try to. We have a faith leaders' forum, it meets at the hospital twice a year. It used to be every quarter, before the pandemic. And when it works, it's wonderful. The imam from the Al-Noor Centre told us about the need for quick release of bodies for burial, and we changed our procedures. That's community expertise changing a hospital. But it takes a lot of work to keep going, and it's all on me. If I left, I'm not sure it would continue.
Interviewer: So you're a kind of connector?
Faith Okonkwo: Yes. I'm the directory! Everyone asks me, who's the Hindu priest who'll come out at night? Who's the rabbi? And I know, because I've built those relationships over nineteen years. But it's all in my head and my phone. I've started writing it down. My successor will need it.
Interviewer: Do you see yourself as part of those communities, or external to them?
Faith Okonkwo: Both. I'm a Christian, I worship at a Pentecostal church in Oakhurst, so that's my own community, and when someone in our church is dying, I'm there as a church member, not a chaplain. That's different. I belong there. With the other faith communities, I'm a guest. A welcome guest, I hope, but a guest. And I have to respect that I don't know their ways as well as they do.
Interviewer: What gets in the way of the hospital working with communities?
Faith Okonkwo: The hospital thinks of itself as a building. People come in, people go out. What happens outside the building isn't our business. That's changing a bit, but slowly. And there's a lot of bureaucracy. If a community group wants to visit a ward, or hold a memorial service in the hospital, there are so many forms. I spent three months getting approval for a bereavement memorial service in the chapel, which has now become an annual event and families love it.
Interviewer: That sounds like a success story.
Faith Okonkwo: It is. We had two hundred people last year. Families of people who died in the hospital, staff, community leaders. We read the names. For many families it's the first time anyone from the hospital has acknowledged their loss after the death. That's ambition six, and ambition one, and the foundation about those important to the dying person, all at once.
Interviewer: How would you measure something like that?
Faith Okonkwo: You can count the people who come. You can collect feedback. But the real impact is invisible. A widow who comes back to the hospital for the first time since her husband died, and finds it isn't so frightening. How do you measure that? I don't think you can, and I worry that what can't be measured doesn't get funded.
Interviewer: Is there anything you'd change about the framework?
Faith Okonkwo: I'd make spiritual care more visible. And I'd make it shorter, honestly, the ward staff won't read it. But mostly I'd want it to say clearly that communities, including faith communities, are partners with expertise, not just audiences for health messages.
Interviewer: Thank you, Faith. That's been really helpful.
Faith Okonkwo: Thank you for asking. It's not often anyone asks the chaplain what she thinks about policy! If you need to reach me, the chaplaincy office is on 01632 960215.
"""


def turns(block: str) -> list[tuple[str, str]]:
    return [tuple(line.split(": ", 1)) for line in block.strip().splitlines()]  # type: ignore[misc]


def new_document(title: str, intro: list[str]) -> Document:
    doc = Document()
    # Fixed metadata so a rebuild does not change what an importer sees.
    doc.core_properties.title = title
    doc.core_properties.author = "Research team"
    doc.core_properties.created = datetime(2024, 3, 14, 10, 0, 0)
    doc.add_heading(intro[0], level=1)
    for line in intro[1:]:
        doc.add_paragraph(line)
    return doc


def build_bold_names(path: Path, title: str, intro: list[str], block: str) -> None:
    """Speaker name in a bold run at the start of each paragraph, as some transcription services export."""
    doc = new_document(title, intro)
    for speaker, text in turns(block):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {text}")
    doc.save(path)


def build_plain_prefix(path: Path, title: str, intro: list[str], block: str) -> None:
    """Plain "Name: text" paragraphs, as a transcript typed or pasted into Word."""
    doc = new_document(title, intro)
    for speaker, text in turns(block):
        doc.add_paragraph(f"{speaker}: {text}")
    doc.save(path)


def main() -> None:
    build_bold_names(HERE / "workshop-community.docx", "workshop-community", WORKSHOP_COMMUNITY_INTRO, WORKSHOP_COMMUNITY)
    build_plain_prefix(HERE / "interview-05-chaplain.docx", "interview-05-chaplain", INTERVIEW_CHAPLAIN_INTRO, INTERVIEW_CHAPLAIN)


if __name__ == "__main__":
    main()
