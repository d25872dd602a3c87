"""News stories the team wrote in each language the summarizer reads, with what they must yield.

Each story has local number formats and names; ``figure`` is (as written, normalised value,
unit) of one figure the digest must carry, ``entity`` a name it must list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ForeignStory:
    code: str
    title: str
    text: str
    figure: tuple[str, float, str | None]
    entity: str


STORIES: tuple[ForeignStory, ...] = (
    ForeignStory(
        "de",
        "Bahn investiert Milliarden in neue Züge",
        "Die Deutsche Bahn will bis 2030 rund 1,5 Mrd. Euro in neue Fernzüge investieren. Das "
        "kündigte Bahnchef Richard Lutz am Dienstag in Berlin an.\n\n"
        "Die Zahl der Fahrgäste sei im vergangenen Jahr um 12 Prozent auf 1.234,5 Mio. gestiegen. "
        "Die neuen Züge sollen vor allem zwischen Hamburg und München fahren.\n\n"
        "Der Fahrgastverband Pro Bahn begrüßte die Pläne, forderte aber mehr Pünktlichkeit. Im "
        "vergangenen Jahr waren nur 64 Prozent der Fernzüge pünktlich. In Österreich und in der "
        "Schweiz sind die Bahnen deutlich pünktlicher als in Deutschland.",
        ("1,5 Mrd. Euro", 1.5e9, "EUR"),
        "Deutsche Bahn",
    ),
    ForeignStory(
        "fr",
        "La SNCF commande de nouveaux TGV",
        "La SNCF va commander 30 nouveaux trains à grande vitesse pour un montant de 1,2 milliard "
        "d'euros, a annoncé mardi son président Jean-Pierre Farandou à Paris.\n\n"
        "Les nouvelles rames doivent circuler à partir de 2027 entre Paris, Lyon et Marseille. "
        "Selon l'entreprise, la fréquentation a progressé de 8,5 % l'an dernier, pour atteindre "
        "122 000 voyageurs par jour sur ces lignes.\n\n"
        "Le ministre des Transports Clément Beaune a salué une décision importante pour la France. "
        "Les associations d'usagers demandent toutefois des billets moins chers et des trains plus "
        "ponctuels.",
        ("1,2 milliard d'euros", 1.2e9, "EUR"),
        "Jean-Pierre Farandou",
    ),
    ForeignStory(
        "es",
        "Renfe amplía su flota de alta velocidad",
        "Renfe invertirá 1.500 millones de euros en nuevos trenes de alta velocidad, según anunció "
        "el martes en Madrid el presidente de la compañía, Raül Blanco.\n\n"
        "Los nuevos trenes circularán a partir de 2026 entre Madrid, Barcelona y Sevilla. El número "
        "de viajeros creció un 14 por ciento el año pasado, hasta alcanzar los 35 millones.\n\n"
        "La ministra de Transportes, Raquel Sánchez, afirmó que España tendrá la red más moderna "
        "de Europa. Los sindicatos pidieron más personal en las estaciones y mejores salarios para "
        "los maquinistas.",
        ("1.500 millones de euros", 1.5e9, "EUR"),
        "Raquel Sánchez",
    ),
    ForeignStory(
        "it",
        "Trenitalia compra nuovi treni regionali",
        "Trenitalia acquisterà 70 nuovi treni regionali per un valore di 2,3 miliardi di euro, ha "
        "annunciato lunedì a Roma l'amministratore delegato Luigi Corradi.\n\n"
        "I treni entreranno in servizio dal 2026 in Lombardia, in Toscana e in Sicilia. Secondo "
        "l'azienda, il numero dei passeggeri è aumentato del 9,5 per cento nell'ultimo anno.\n\n"
        "Il ministro Matteo Salvini ha parlato di una giornata importante per l'Italia. I "
        "pendolari chiedono però treni più puntuali e biglietti meno cari, soprattutto al Sud.",
        ("2,3 miliardi di euro", 2.3e9, "EUR"),
        "Luigi Corradi",
    ),
    ForeignStory(
        "pt",
        "Governo anuncia nova linha de metrô",
        "O governo de São Paulo anunciou nesta segunda-feira um investimento de R$ 4,5 bilhões "
        "na construção de uma nova linha de metrô, segundo o secretário Marcelo Branco.\n\n"
        "A nova linha terá 15 estações e deverá transportar 600.000 passageiros por dia a partir "
        "de 2029. O número de usuários do metrô cresceu 7,5 por cento no último ano.\n\n"
        "Moradores da zona leste comemoraram a notícia, mas pediram que as obras comecem logo. "
        "Especialistas lembram que o Brasil ainda tem poucas linhas de metrô para o tamanho das "
        "suas cidades.",
        ("R$ 4,5 bilhões", 4.5e9, "BRL"),
        "Marcelo Branco",
    ),
    ForeignStory(
        "nl",
        "NS koopt nieuwe treinen",
        "De Nederlandse Spoorwegen kopen voor 1,2 miljard euro nieuwe intercitytreinen, maakte "
        "topvrouw Marjan Rintel dinsdag in Utrecht bekend.\n\n"
        "De treinen gaan vanaf 2027 rijden tussen Amsterdam, Rotterdam en Eindhoven. Het aantal "
        "reizigers steeg vorig jaar met 11 procent tot 1,1 miljoen per dag.\n\n"
        "Reizigersorganisatie Rover is blij met de aankoop, maar wil ook betere verbindingen naar "
        "België en Duitsland. Volgens de vakbond moeten er ook meer conducteurs komen.",
        ("1,2 miljard euro", 1.2e9, "EUR"),
        "Marjan Rintel",
    ),
    ForeignStory(
        "pl",
        "PKP Intercity kupuje nowe pociągi",
        "PKP Intercity przeznaczy 1,5 mld zł na zakup nowych pociągów dalekobieżnych, "
        "poinformował we wtorek w Warszawie prezes spółki Janusz Malinowski.\n\n"
        "Nowe składy będą jeździć od 2027 roku między Warszawą, Krakowem i Gdańskiem. Liczba "
        "pasażerów wzrosła w ubiegłym roku o 12 proc. i przekroczyła 70 mln.\n\n"
        "Minister infrastruktury Dariusz Klimczak powiedział, że Polska potrzebuje szybszej kolei. "
        "Związkowcy domagają się jednak wyższych płac dla maszynistów i konduktorów.",
        ("1,5 mld zł", 1.5e9, "PLN"),
        "Janusz Malinowski",
    ),
    ForeignStory(
        "cs",
        "České dráhy kupují nové vlaky",
        "České dráhy nakoupí nové vlaky za 12 miliard korun, oznámil v úterý v Praze generální "
        "ředitel Michal Krapinec.\n\n"
        "Nové soupravy budou od roku 2026 jezdit mezi Prahou, Brnem a Ostravou. Počet cestujících "
        "loni vzrostl o 8 procent na 180 milionů.\n\n"
        "Ministr dopravy Martin Kupka uvedl, že Česko potřebuje rychlejší železnici. Odbory však "
        "požadují vyšší mzdy pro strojvedoucí a lepší podmínky pro průvodčí.",
        ("12 miliard korun", 12e9, "CZK"),
        "Michal Krapinec",
    ),
    ForeignStory(
        "ru",
        "РЖД закупят новые поезда",
        "Компания РЖД направит 1,5 млрд руб. на закупку новых пригородных поездов, сообщил во "
        "вторник в Москве глава компании Олег Белозёров.\n\n"
        "Новые поезда начнут курсировать в 2026 году между Москвой, Тверью и Ярославлем. Число "
        "пассажиров в прошлом году выросло на 9,5% и достигло 1,3 млн человек в день.\n\n"
        "Жители пригородов приветствовали это решение, но попросили снизить цены на билеты. "
        "Эксперты отмечают, что в России по-прежнему не хватает современных вагонов.",
        ("1,5 млрд руб.", 1.5e9, "RUB"),
        "Олег Белозёров",
    ),
    ForeignStory(
        "uk",
        "Укрзалізниця купує нові вагони",
        "Укрзалізниця витратить 2,4 млрд грн на закупівлю нових пасажирських вагонів, повідомив "
        "у вівторок у Києві голова правління Олександр Перцовський.\n\n"
        "Нові вагони курсуватимуть з 2026 року між Києвом, Львовом та Одесою. Кількість пасажирів "
        "минулого року зросла на 15 відсотків і перевищила 25 мільйонів.\n\n"
        "Міністр інфраструктури заявив, що Україна потребує сучасного транспорту. Пасажири просять "
        "також більше потягів до Польщі та інших країн Європи.",
        ("2,4 млрд грн", 2.4e9, "UAH"),
        "Олександр Перцовський",
    ),
    ForeignStory(
        "tr",
        "TCDD yeni hızlı trenler alıyor",
        "TCDD, yeni hızlı trenler için 1,5 milyar lira harcayacağını açıkladı. Genel müdür Ufuk "
        "Yalçın salı günü Ankara'da yaptığı açıklamada trenlerin 2026 yılında hizmete gireceğini "
        "söyledi.\n\n"
        "Yeni trenler Ankara, İstanbul ve Konya arasında çalışacak. Yolcu sayısı geçen yıl %18 "
        "artarak 12 milyona ulaştı.\n\n"
        "Ulaştırma Bakanı Abdulkadir Uraloğlu, Türkiye'nin demiryolu ağını büyütmeye devam "
        "edeceğini belirtti. Yolcular ise daha ucuz bilet ve daha fazla sefer istiyor.",
        ("1,5 milyar lira", 1.5e9, "TRY"),
        "Ufuk Yalçın",
    ),
    ForeignStory(
        "zh",
        "北京将建设新地铁线",
        "北京市政府周一宣布，将投资12亿元建设一条新的地铁线路。市交通委员会主任李明表示，"
        "新线路预计于2028年建成通车。\n\n"
        "新线路全长35公里，设有18座车站，建成后每天可运送乘客约3.5万人次。去年北京地铁客流量"
        "增长了12%，高峰时段车厢十分拥挤。\n\n"
        "许多市民对这一消息表示欢迎，希望早日开工建设。专家指出，中国的大城市仍需加快发展"
        "公共交通，以减少交通拥堵和空气污染。",
        ("12亿元", 1.2e9, "CNY"),
        "中国",
    ),
    ForeignStory(
        "ja",
        "東京都、新しいバス路線を発表",
        "東京都は月曜日、総額3億円を投じて新しいバス路線を整備すると発表した。都の担当者は、"
        "新路線が来年4月に運行を始める予定だと説明した。\n\n"
        "新しい路線は新宿と羽田空港を結び、1日におよそ2万人の利用を見込んでいる。昨年、都内の"
        "バス利用者は前年より8%増えた。\n\n"
        "利用者からは便利になるとの声が上がる一方、運転手の不足を心配する意見もある。専門家は、"
        "日本の都市では公共交通の人手不足が深刻になっていると指摘している。",
        ("3億円", 3e8, "JPY"),
        "日本",
    ),
    ForeignStory(
        "ar",
        "مصر تطلق خطا جديدا للقطارات",
        "أعلنت الحكومة المصرية يوم الاثنين عن استثمار 1.5 مليار دولار في خط جديد للقطارات "
        "السريعة، وفقا لما قاله وزير النقل كامل الوزير في القاهرة.\n\n"
        "وسيربط الخط الجديد بين القاهرة والإسكندرية، ومن المتوقع أن ينقل 50 ألف راكب يوميا "
        "بحلول عام 2027. وارتفع عدد الركاب في العام الماضي بنسبة 12٪.\n\n"
        "ورحب المواطنون بالمشروع، لكنهم طالبوا بأسعار تذاكر مناسبة. ويقول الخبراء إن مصر "
        "تحتاج إلى شبكة نقل حديثة لخدمة سكانها المتزايدين.",
        ("1.5 مليار دولار", 1.5e9, "USD"),
        "مصر",
    ),
)
