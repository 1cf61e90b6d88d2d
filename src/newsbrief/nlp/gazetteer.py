"""Names as data: first names with a gender, organisations, places, nationalities.

Small and news-shaped (CNN / Daily Mail): enough to type the entities of datelines and
attributions offline, not a general gazetteer. Entries are lower-case; multi-word names are
one entry per line.
"""

from __future__ import annotations

from newsbrief.nlp._lists import lines as _lines
from newsbrief.nlp._lists import words as _words

# Common first names with a clear gender: lets "she said" skip past "Michael Lurie".
MALE_NAMES = _words(
    """james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
    ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel frank gregory raymond alexander patrick jack dennis jerry
    tyler aaron jose adam henry nathan douglas peter zachary kyle walter harold jeremy ethan
    carl keith roger gerald christian terry sean arthur austin noah lawrence jesse joe bryan
    billy jordan albert dylan bruce willie gabriel alan juan logan wayne ralph roy eugene
    randy vincent russell louis philip bobby johnny bradley barack vladimir recep tom harry
    oliver charlie alfie freddie archie leo liam mohammed muhammad ali ahmed hassan omar
    steve mike dave chris tony nick ben sam ian neil simon martin graham nigel colin alan
    barry gordon boris nicolas francois angela jose luis carlos diego pablo marco luca
    antonio giovanni hans klaus pierre jean-claude jurgen arsene jose louis wayne theo
    alexei sergei dmitry ivan fadi"""
)
FEMALE_NAMES = (
    _words(
        """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa
    deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna
    brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
    janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina
    lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria
    ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise
    amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
    charlotte rose alexis kayla theresa hillary hilary michelle kate katie lucy ellie chloe
    sophie jess jessica holly amelia mia ava lily ella poppy ruby freya florence kim
    kylie beyonce rihanna taylor madonna oprah serena venus camilla diana angelina jennifer
    nicola theresa terra lyndey britney naomi kirsty claire louise joanne"""
    )
    - MALE_NAMES
)
# Names that are organisations on their own (acronyms and metonyms).
ORGS = _lines(
    """
    cnn
    bbc
    nato
    isis
    isil
    un
    eu
    fbi
    cia
    nsa
    nasa
    nhs
    uefa
    fifa
    ioc
    nfl
    nba
    mlb
    nhl
    kremlin
    pentagon
    congress
    parliament
    downing street
    white house
    whitehall
    wall street
    scotland yard
    premier league
    champions league
    google
    apple
    facebook
    twitter
    instagram
    youtube
    amazon
    microsoft
    reuters
    ap
    afp
    fox news
    sky news
    itv
    nbc
    abc
    cbs
    msnbc
    chelsea
    arsenal
    liverpool
    barcelona
    real madrid
    bayern munich
    juventus
    tottenham
    everton
    taliban
    hamas
    hezbollah
    al qaeda
    al-qaeda
    boko haram
    """
)
# Countries, major cities, US states, UK nations and regions: enough for datelines.
PLACES = _lines(
    """
    afghanistan
    albania
    algeria
    argentina
    armenia
    australia
    austria
    azerbaijan
    bahrain
    bangladesh
    belarus
    belgium
    bolivia
    bosnia
    brazil
    bulgaria
    cambodia
    cameroon
    canada
    chile
    china
    colombia
    congo
    croatia
    cuba
    cyprus
    czech republic
    denmark
    ecuador
    egypt
    england
    estonia
    ethiopia
    europe
    africa
    asia
    america
    finland
    france
    georgia
    germany
    ghana
    greece
    haiti
    honduras
    hong kong
    hungary
    iceland
    india
    indonesia
    iran
    iraq
    ireland
    israel
    italy
    jamaica
    japan
    jordan
    kazakhstan
    kenya
    kosovo
    kuwait
    latvia
    lebanon
    libya
    lithuania
    luxembourg
    malaysia
    mali
    malta
    mexico
    moldova
    morocco
    myanmar
    nepal
    netherlands
    holland
    new zealand
    nicaragua
    niger
    nigeria
    north korea
    northern ireland
    norway
    oman
    pakistan
    palestine
    panama
    paraguay
    peru
    philippines
    poland
    portugal
    qatar
    romania
    russia
    rwanda
    saudi arabia
    scotland
    senegal
    serbia
    singapore
    slovakia
    slovenia
    somalia
    south africa
    south korea
    south sudan
    spain
    sri lanka
    sudan
    sweden
    switzerland
    syria
    taiwan
    tanzania
    thailand
    tunisia
    turkey
    uganda
    ukraine
    united arab emirates
    uae
    united kingdom
    uk
    britain
    great britain
    united states
    us
    usa
    u.s.
    u.k.
    uruguay
    uzbekistan
    venezuela
    vietnam
    wales
    yemen
    zambia
    zimbabwe
    crimea
    gaza
    west bank
    kabul
    baghdad
    damascus
    aleppo
    beirut
    cairo
    tehran
    jerusalem
    tel aviv
    istanbul
    ankara
    moscow
    st. petersburg
    saint petersburg
    sochi
    kiev
    kyiv
    warsaw
    berlin
    munich
    paris
    marseille
    lyon
    london
    manchester
    birmingham
    liverpool
    leeds
    glasgow
    edinburgh
    cardiff
    belfast
    dublin
    bristol
    madrid
    barcelona
    lisbon
    rome
    milan
    naples
    athens
    vienna
    brussels
    amsterdam
    geneva
    zurich
    stockholm
    oslo
    copenhagen
    helsinki
    prague
    budapest
    beijing
    shanghai
    tokyo
    seoul
    pyongyang
    delhi
    new delhi
    mumbai
    karachi
    islamabad
    dhaka
    bangkok
    jakarta
    manila
    sydney
    melbourne
    brisbane
    perth
    auckland
    toronto
    montreal
    vancouver
    ottawa
    mexico city
    havana
    rio de janeiro
    sao paulo
    buenos aires
    lima
    bogota
    caracas
    johannesburg
    cape town
    nairobi
    lagos
    dubai
    abu dhabi
    doha
    riyadh
    new york
    new york city
    los angeles
    chicago
    houston
    phoenix
    philadelphia
    san antonio
    san diego
    dallas
    san francisco
    seattle
    boston
    miami
    atlanta
    detroit
    denver
    las vegas
    baltimore
    cleveland
    new orleans
    washington
    washington d.c.
    washington, d.c.
    hollywood
    brooklyn
    manhattan
    alabama
    alaska
    arizona
    arkansas
    california
    colorado
    connecticut
    delaware
    florida
    hawaii
    idaho
    illinois
    indiana
    iowa
    kansas
    kentucky
    louisiana
    maine
    maryland
    massachusetts
    michigan
    minnesota
    mississippi
    missouri
    montana
    nebraska
    nevada
    new hampshire
    new jersey
    new mexico
    north carolina
    north dakota
    ohio
    oklahoma
    oregon
    pennsylvania
    rhode island
    south carolina
    south dakota
    tennessee
    texas
    utah
    vermont
    virginia
    west virginia
    wisconsin
    wyoming
    essex
    kent
    surrey
    sussex
    yorkshire
    lancashire
    cornwall
    devon
    """
)
# Adjectives of nationality: kept apart so "British" is checked like a name but not a place.
DEMONYMS = _words(
    """american british english scottish welsh irish french german italian spanish portuguese
    dutch belgian swiss austrian swedish norwegian danish finnish polish russian ukrainian
    turkish greek syrian iraqi iranian afghan pakistani indian chinese japanese korean
    vietnamese thai indonesian filipino australian canadian mexican brazilian argentine
    argentinian colombian venezuelan cuban egyptian libyan saudi israeli palestinian
    lebanese jordanian nigerian kenyan ethiopian somali african european asian arab
    muslim christian jewish catholic western eastern"""
)
# Nouns for nationals, singular (the plural adds "s"): "Turks", "Britons", "Brits".
DEMONYM_NOUNS = _words("turk briton brit scot swede dane pole finn arab israeli kurd pakistani afghan iraqi")
