"""Articles written by the team for the summarizer tests (facts invented, furniture realistic)."""

from __future__ import annotations

from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
SEED_NAME = "000_36baa20e2a7028b4.txt"


def seed_path() -> Path | None:
    """The real wire story in ../shared/seeds (outside data, never committed), if present."""
    for shared in (_REPO / ".." / "shared", Path("/work/shared")):
        path = shared / "seeds" / SEED_NAME
        if path.is_file():
            return path
    return None


WIRE_STORY = """\
Harbour city opens floating solar farm

Source: Newswire| 2024-03-02 10:15:00|Editor: Kim
Video PlayerClose

by Newswire writers Ana Costa, Ben Ode

LISBON, March 2 (Newswire) -- Portugal's largest floating solar farm opened on Saturday on the \
Alqueva reservoir, where Lumen Energia has installed 12,000 panels that will supply 30 percent of \
the power used by the nearby town of Moura.

The project cost 6.5 million euros and was built in eight months. Lumen Energia's chief \
executive, Marta Reis, said the company chose the reservoir because water cools the panels and \
raises their output by about 5 percent.

"Floating panels let us produce clean power without taking farmland," Reis told reporters at the \
opening. Lumen Energia plans 4 more farms in Portugal and Spain by 2027.

REGIONAL IMPACT

The European Investment Bank lent 4 million euros to the project. Local fishermen had worried \
about the reservoir, but Reis said the panels cover less than 2 percent of its surface.

Mr. Reis's deputy, Dr. Paulo Antunes, said the farm would save 8,500 tonnes of carbon dioxide a \
year. The U.S. firm SunFloat supplied the floats, which were tested for 2.5 years.

Marta Reis said the next farm, on the Castelo de Bode reservoir, would be twice as large.

KEY WORDS: solar, Portugal
EXPLORE NEWSWIRE
0100200707500000000000000111000013626896
"""

HTML_STORY = """\
<html><head><title>x</title><style>p {color: red}</style><script>var tracking = 1;</script></head>
<body><article>
<h1>Council approves new cycle lanes</h1>
<p>The city council of Northbridge voted on Tuesday to build 40 kilometres of protected cycle
lanes, a plan that will cost 18 million dollars over five years.</p>
<p>Council member Joan Park said the lanes would connect every school in the city. &quot;Children
should be able to ride to school safely,&quot; she said.</p>
<div class="ad">Advertisement</div>
<p>Traffic on the main bridge has grown by 12 percent since 2019, according to the council's
transport office. Shop owners on Main Street asked for parking to be kept.</p>
<p>Work on the first lanes will start in May, and the council expects the network to be finished
before the next election.</p>
</article></body></html>
"""

GERMAN_STORY = (
    "Die Bundesregierung hat am Mittwoch beschlossen, dass die Steuern für kleine Unternehmen im "
    "kommenden Jahr nicht erhöht werden. Der Sprecher sagte, man wolle die Wirtschaft nach der "
    "schwierigen Zeit stärken und den Betrieben Sicherheit geben. Die Opposition kritisierte die "
    "Entscheidung und forderte mehr Geld für Schulen und für die Bahn. Die Länder sollen im "
    "Sommer über die Einzelheiten beraten, und der Bundestag wird im Herbst abstimmen."
)

# Thai: a language the summarizer does not read yet.
THAI_STORY = (
    "รัฐบาลไทยประกาศเมื่อวันจันทร์ว่าจะลงทุนในระบบรถไฟความเร็วสูงเพื่อเชื่อมต่อกรุงเทพมหานครกับภาคเหนือ "
    "โครงการนี้คาดว่าจะแล้วเสร็จภายในปี 2030 และจะสร้างงานหลายพันตำแหน่ง "
    "นายกรัฐมนตรีกล่าวว่าประชาชนจะเดินทางได้เร็วขึ้นและปลอดภัยมากขึ้น "
    "ฝ่ายค้านเรียกร้องให้รัฐบาลเปิดเผยค่าใช้จ่ายทั้งหมดของโครงการก่อนการลงมติในรัฐสภา"
)

SHORT_STORY = "Markets rose on Monday as investors welcomed the news from the central bank today."

# A company the model does not know, countries and their adjectives, a listed run of countries,
# a second dateline and a credit line; the names are invented.
MAKER_STORY = """\
Quill phones reach Kenya

NAIROBI, June 4 (Newswire) -- Quill, the Estonian handset maker, will sell its phones in Kenya \
from July, its chief executive Liis Tamm said on Tuesday.

Quill's smartphones cost about half as much as rival models, and the company expects to sell \
200,000 of them in the first year. Quill plans to open two stores in Nairobi this year.

Kenyan buyers have waited months for the launch, Tamm said. Quill already sells in Latvia, \
Finland and Sweden, and Estonian officials called the deal a model for other firms.

TARTU, June 4 (Newswire) -- Separately, the Tartu city council approved a new tram line.

Quill Group also runs a repair service, which it will bring to Kenya next year. (Reporting by \
Ana Costa in Nairobi; Editing by Ben Ode)
"""

# A feature: the opening follows one person, the point (third paragraph) is what the headline says.
FEATURE_STORY = """\
Kenyan dairy cooperatives turn to solar milk coolers to cut waste

Every morning at five, Grace Wanjiru walks her three cows down the red dirt path behind her \
house and milks them by lamplight. For years she lost almost half of the evening's milk before \
the collection truck came. Her neighbour, an old man who keeps goats, used to laugh at her \
buckets.

Wanjiru now sells every litre. She bought a second cow last year and pays the school fees of \
her two daughters on time, she says, standing beside the shed where she keeps her tools.

She is one of 40,000 farmers whose dairy cooperatives in Kenya have installed solar milk \
coolers since 2021, cutting the milk they waste by more than half and raising what members \
earn, according to the cooperatives' union.

The coolers, made by a Nairobi start-up, keep milk at four degrees for two days without the \
grid. The union says 310 cooperatives now run them, and that spoiled milk fell from 30 percent \
of the evening yield to 12 percent.

The government plans to subsidise 500 more coolers for dairy cooperatives in the next budget, \
the agriculture ministry said on Tuesday, after a pilot in Nyeri county.

Not every farmer is convinced. Some say the coolers are too expensive to repair when a panel \
breaks, and that the cooperatives charge too much for the service.
"""

# A Daily Mail-style page flattened to one paragraph: captions without full stops run into the
# story, a video teaser, a picture credit, a quote cut from its speaker, and ". ' The".
FLATTENED_PAGE = (
    "Cleared: Councillor Tom Hale, 52, leaves the town hall after the vote "
    "A councillor accused of misusing expenses has been cleared by a standards panel after a "
    "three-month inquiry into his claims for travel and meals. Scroll down for video "
    "Photograph: Jane Doe/Getty Images The panel found that every claim Mr Hale made had been "
    "approved in advance by the council's finance office. 'Just been told, did anyone doubt it? "
    "# Cleared # Hale, ' his wife put on Twitter. Mr Hale said the inquiry had been painful "
    "for his family. He said: 'I never took a penny that was not mine. ' The council's leader "
    "said she accepted the panel's findings in full. Media playback is not supported on this "
    "device Opposition members said the rules on expenses should still be tightened, and "
    "called for a public register of claims by the end of the year. The finance office will "
    "publish every councillor's claims for the last three years in the spring, the council "
    "said in a statement on Tuesday evening."
)
