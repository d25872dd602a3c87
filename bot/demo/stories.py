"""The demo's news: three small outlets and their stories, written by the newsdigest team.

Everything here is invented for the demo (places, firms and people included); it exists so the
whole system can be tried with no internet: feeds, full text, summaries, alerts and digests.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoOutlet:
    slug: str
    title: str
    topic: str


@dataclass(frozen=True, slots=True)
class DemoStory:
    outlet: str
    slug: str
    title: str
    hours_ago: float
    paragraphs: tuple[str, ...]
    # Held back until the demo user types :news, to show an alert arriving live.
    breaking: bool = False
    # Held back until :update: another outlet's copy of a story, for a followed story's update.
    follow_up: bool = False


OUTLETS = (
    DemoOutlet("harbour-herald", "Harbour Herald", "world"),
    DemoOutlet("circuit-weekly", "Circuit Weekly", "tech"),
    DemoOutlet("ledger-daily", "Ledger Daily", "business"),
)

STORIES = (
    DemoStory(
        "harbour-herald",
        "storm-cable",
        "Storm cuts power cable to North Bank offshore wind farm",
        3,
        (
            "A storm with gusts of up to 140 kilometres an hour damaged the export cable of the North Bank offshore wind farm on Wednesday night, leaving its 64 turbines unable to send electricity to the mainland for at least two weeks.",
            "The grid operator Nordgrid said the cable failed shortly after midnight about eleven kilometres from the coast, where it crosses a sandbank that has shifted in recent winters.",
            "North Bank supplies roughly 480 megawatts at full output, enough for about half a million homes. Wholesale power prices for Thursday rose by about 20 percent.",
            "Engineers will first locate the fault with a remotely operated vehicle, then lift the damaged section to a cable-laying ship. A similar repair two years ago took nineteen days.",
            "Analysts at Castell Research estimated the lost revenue at around 1.5 million euros a day in strong wind.",
        ),
    ),
    DemoStory(
        "ledger-daily",
        "north-bank-cable",
        "North Bank wind farm cut off after storm damages export cable",
        2,
        (
            "A storm with gusts of up to 140 kilometres an hour damaged the export cable of the North Bank offshore wind farm on Wednesday night, leaving its 64 turbines unable to send electricity to the mainland for at least two weeks.",
            "Nordgrid, the grid operator, said the cable failed shortly after midnight about eleven kilometres from the coast, where it crosses a sandbank that has shifted in recent winters.",
            "North Bank supplies roughly 480 megawatts at full output, enough for about half a million homes, and wholesale prices for Thursday rose by about a fifth.",
            "The owners said insurance would cover the repair but not the lost revenue, estimated by Castell Research at around 1.5 million euros a day in strong wind.",
        ),
    ),
    DemoStory(
        "harbour-herald",
        "ferry-timetable",
        "Port Ellis council approves new ferry timetable",
        6,
        (
            "The Port Ellis city council voted 23 to 8 on Tuesday to approve a new ferry timetable that adds an early crossing to the islands and ends the last sailing an hour later in summer.",
            "Mayor Ines Calloway said the change answers a petition signed by more than 4,000 residents who commute to jobs on the mainland.",
            "The operator, Bluewater Lines, will need two more crew members per ship, at a cost of 1.2 million dollars a year, which the council will share with the regional government.",
            "The timetable takes effect on 1 March. Fares stay unchanged until the end of the year.",
        ),
    ),
    DemoStory(
        "circuit-weekly",
        "chip-plant",
        "Korvel opens chip packaging plant with 900 jobs",
        5,
        (
            "Korvel Semiconductors opened a chip packaging plant outside Port Ellis on Monday, investing 2.4 billion dollars and creating 900 jobs in a region that lost its shipyard a decade ago.",
            "Chief executive Dana Whitfield said the plant will package processors for data centres and cars, work that until now was done almost entirely in Asia.",
            "The plant will run on power bought from the North Bank offshore wind farm under a fifteen-year contract, and recycle about 70 percent of the water it uses.",
            "Korvel expects to reach full output in 2028, when it plans to ship 40 million packaged chips a year.",
        ),
    ),
    DemoStory(
        "circuit-weekly",
        "phone-battery",
        "Lumio's new phone promises two-day battery life",
        8,
        (
            "Lumio unveiled its Aster 7 smartphone on Thursday, claiming a battery that lasts two full days thanks to a new silicon-carbon anode and a more efficient display.",
            "The phone will sell for 499 dollars, about 100 dollars less than its predecessor, and reach stores in twelve countries on 15 January.",
            "Lumio said it sold 3.5 million phones last quarter, up 18 percent from a year earlier, making it the fastest-growing maker in the mid-range market.",
            "Reviewers who tested early units said the camera still lags behind rivals in low light.",
        ),
    ),
    DemoStory(
        "circuit-weekly",
        "open-maps",
        "Volunteers finish open map of every bus stop in the region",
        20,
        (
            "Volunteers of the Open Harbour Maps project have mapped all 6,200 bus stops in the region, with shelters, ramps and timetables, in an effort that took three years.",
            "The regional transport authority said it will use the open data in its own journey planner from spring, replacing a commercial data set that cost 300,000 dollars a year.",
            "Project coordinator Samir Haddad said more than 1,100 people contributed, many of them retired bus drivers who knew which stops had moved.",
        ),
    ),
    DemoStory(
        "ledger-daily",
        "rates-hold",
        "Central bank holds rates at 3.25 percent as inflation cools",
        4,
        (
            "The central bank kept its main interest rate at 3.25 percent on Thursday, saying inflation had cooled to 2.6 percent in October but that wage growth remained strong.",
            "Governor Marta Olsen told reporters that the bank would need to see several more months of slowing prices before it could consider a cut.",
            "Markets had expected the decision. Mortgage lenders said fixed rates would likely stay near 4.1 percent into the new year.",
        ),
    ),
    DemoStory(
        "ledger-daily",
        "harbour-freight",
        "Port Ellis freight volumes rise 12 percent as new cranes arrive",
        10,
        (
            "Freight handled at the port of Port Ellis rose 12 percent in the third quarter to 1.8 million tonnes, helped by three new electric cranes that shortened unloading times.",
            "The port authority said container ships now spend on average 19 hours at the quay, down from 26 hours a year ago.",
            "It plans to spend 85 million dollars on a second container berth, with construction due to start in the autumn.",
        ),
    ),
    DemoStory(
        "harbour-herald",
        "lighthouse-museum",
        "Lighthouse museum reopens after two-year repair",
        28,
        (
            "The Cape Morrow lighthouse museum reopened on Saturday after a two-year repair of its tower, which had been closed since cracks were found in the stonework.",
            "About 2,500 visitors came on the first weekend, the museum's director Paul Brenner said, more than in any month before the closure.",
            "The repair cost 3.1 million dollars, two thirds of it paid by a national heritage fund.",
        ),
    ),
    DemoStory(
        "harbour-herald",
        "cable-repair",
        "Repair ship reaches damaged North Bank wind farm cable",
        0,
        (
            "A cable-laying ship reached the damaged export cable of the North Bank offshore wind farm on Friday, days earlier than expected after the storm eased.",
            "Nordgrid said divers and a remotely operated vehicle had found the fault and that the 64 turbines could send power again within 6 days.",
            "The early repair could save the owners about 9 million euros in lost revenue, according to Castell Research.",
        ),
        breaking=True,
    ),
    DemoStory(
        "circuit-weekly",
        "north-bank-offline",
        "North Bank wind farm offline for weeks after storm damages export cable",
        0,
        (
            "A storm with gusts of up to 160 kilometres an hour, stronger than first measured, damaged the export cable of the North Bank offshore wind farm on Wednesday night, leaving its 64 turbines unable to send electricity to the mainland for at least two weeks.",
            "The grid operator Nordgrid said the cable failed shortly after midnight about eleven kilometres from the coast, where it crosses a sandbank that has shifted in recent winters.",
            "North Bank supplies roughly 480 megawatts at full output, enough for about half a million homes. Wholesale power prices for Thursday rose by about 20 percent.",
            "Analysts at Castell Research now estimate the lost revenue at around 2.1 million euros a day in strong wind, as the storm season peaks.",
            "Energy minister Tomas Berg said the government would review how offshore cables are protected where sandbanks move.",
        ),
        follow_up=True,
    ),
)
