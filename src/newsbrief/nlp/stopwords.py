"""Stop words as data: which words carry no content, per consumer and per language.

Why several English lists: each was tuned with the figures of the code that reads it, and
merging them would move those figures. ``STOPWORDS`` is the faithfulness checker's
(bench/faithfulness.py); ``OVERLAP_STOPWORDS`` the highlights scorer's and its sentence
features' (redundancy and centrality, bench/results/highlights*.md); ``ALIGNMENT_STOPWORDS``
the aligner of abstractive highlights (summarize/align.py). Two per-language tables exist for
the same reason: ``PROSE_FUNCTION_WORDS`` feeds the page-line classifier's "reads like prose"
signal (its model, ingest/data/line_model.json, was fitted with them) and
``LANGUAGE_ID_WORDS`` the language detector, chosen so that close languages (es/pt/it,
da/no/sv, ru/uk, ar/fa, nl/de) differ in enough of them. All entries are lower-case.
"""

from __future__ import annotations

from newsbrief.nlp._lists import words as _words

__all__ = [
    "ALIGNMENT_STOPWORDS",
    "LANGUAGE_ID_WORDS",
    "OVERLAP_STOPWORDS",
    "PROSE_FUNCTION_WORDS",
    "STOPWORDS",
]

# English function words for the faithfulness checker: not counted as content, and not
# sufficient alone to support a sentence.
STOPWORDS = _words(
    """a an the of to in on at by for from with as and or but nor is are was were be been being
    am has have had having do does did doing will would shall should can could may might must
    it its it's he him his she her hers they them their theirs we us our ours i me my mine you
    your yours this that these those there here who whom whose which what when where why how
    than then so if because while after before since until also just only very too about into
    onto over under up down out off again further once all any both each few more most other
    some such own same s t said says say told tell according one"""
)
# The short list the highlights scorer and its sentence features drop before comparing
# sentences word by word (tokens of three letters or more: ``tokens.overlap_words``).
OVERLAP_STOPWORDS = _words(
    """a an the of to in on at by for from with as and or but is are was were be been has have had
    he she it they his her their its this that these those i you we who which what said says will
    would could can not no after before over into about than more also one up out"""
)
# What the aligner of abstractive highlights drops before weighting words by rarity.
ALIGNMENT_STOPWORDS = _words(
    """a an the of to in on at by for from with as and or but nor is are was were be been being am
    has have had having do does did done he she it they them his her hers its their theirs him
    this that these those i me my you your we us our who whom whose which what when where why how
    said says say will would could can may might must shall should not no yes after before over
    into about than then there here also one up out so if just very more most such only own same
    too all any both each few other some s t don now while during against between through again
    further once under until off above below get got new like"""
)

# Commonest function words of common news languages (articles, pronouns, prepositions,
# conjunctions, auxiliaries): running text is dense in them in any language; navigation,
# link lists and credits are not (jusText's observation).
_PROSE = {
    "en": "the a an and or but of to in on at for with by from as is are was were be been being has have had "
    "it its this that these those he she they we you i his her their our your him them not no will would can "
    "could should may might do does did which who whom what when where there here than then so if about into "
    "after before over also just said says more most",
    "de": "der die das den dem des ein eine einen einem einer und oder aber von zu im in am an auf für mit bei "
    "aus als ist sind war waren sein hat haben hatte es sie er wir ich nicht kein keine wird werden kann "
    "auch noch nach vor über um wie wenn dass sich so zum zur nur",
    "fr": "le la les un une des du de et ou mais à au aux en dans sur pour par avec est sont était été a ont "
    "il elle ils elles nous vous je ce cette ces qui que quoi ne pas plus se sa son ses leur leurs aussi "
    "comme si y été être avoir",
    "es": "el la los las un una unos unas y o pero de del a al en por para con es son fue era ha han se su sus "
    "que qui no más como lo le les este esta estos estas ese esa también muy sin sobre entre cuando",
    "it": "il lo la i gli le un una uno e o ma di del della dei delle da dal a al alla in nel nella su per con "
    "è sono era ha hanno si che non più come anche questo questa quello suo sua loro se tra fra",
    "pt": "o a os as um uma uns umas e ou mas de do da dos das em no na nos nas por para com é são foi era "
    "tem têm se que não mais como também este esta seu sua seus suas ao aos pelo pela entre quando muito",
    "nl": "de het een en of maar van in op aan voor met door uit als is zijn was waren heeft hebben had het "
    "hij zij ze wij we ik niet geen wordt worden kan ook nog na naar over om dat die dit deze er",
    "ru": "и в во не что он она они на я с со как а то все так его но да ты к у же вы за бы по только ее "
    "мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был была были "
    "это этот эта также который которая которые при для до после",
    "id": "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh atau karena ada "
    "bisa sudah saat kami kita mereka ia dia telah lebih para seperti bahwa tersebut",
    "pl": "i w na z do że się nie to jest jak po o a ale co od za przez dla tak jego jej ich są był była było "
    "oraz lub także już tylko przy może który która które",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så "
    "kan när år ska också efter",
    "tr": "ve bir bu da de için ile olarak daha çok gibi en ama ancak olan sonra kadar ne değil her şey o ise",
}
PROSE_FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(w.split()) for lang, w in _PROSE.items()}

# Most frequent function words per language, for telling languages of one script apart.
_LANGUAGE_ID: dict[str, str] = {
    "en": "the of and to a in is that for it was on with he as his by at from they this be are have "
    "had not but were which she her their has an been would will there who or said its we you when "
    "than after about into been also after could them what our more over only some these those",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
    "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war "
    "haben nur oder aber vor zur bis mehr durch man sein wurde sei",
    "fr": "le la les de des du et en un une est que qui dans pour pas sur au aux par plus ne se ce sont "
    "il elle avec son sa ses mais ou nous vous leur été être a ont cette comme fait aussi très",
    "es": "el la los las de del y en un una es que por con para se no su sus al lo como más pero fue "
    "ha son este esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos "
    "durante uno ni contra ese esa eso",
    "it": "il lo la i gli le di del della dei delle e è che un una per non con su sono da dal alla al "
    "nel nella si come anche più ma questo questa ha hanno essere stato era gli sua suo loro dopo",
    "pt": "o a os as de do da dos das e em um uma é que não com para por se no na nos nas ao aos mais "
    "como mas foi são seu sua também pelo pela já ou ele ela isso está entre quando muito depois",
    "nl": "de het een en van in is op te dat die voor met zijn niet aan er ook als bij door maar om "
    "dan nog wel uit wordt naar worden heeft hebben werd over tot deze geen kan haar hij zij",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från "
    "vi så kan när år ska också efter eller hade under blev skulle mot sina hur",
    "da": "og i at det som en på er af for med til den har de ikke om et han men var jeg sig fra vi så "
    "kan når år skal også efter eller havde blev være hvad noget meget deres mod",
    "no": "og i at det som en på er av for med til den har de ikke om et han men var jeg seg fra vi så "
    "kan når år skal også etter eller hadde ble være hva noe mye deres mot",
    "pl": "i w na z do że się nie to jest jak po o a ale co od za przez dla tak jego jej ich są był była "
    "było oraz lub także już tylko przy może który która które będzie jako tym",
    "cs": "a v na se je že s z do to jako o by k ve pro ale jsou byl bylo tak jeho které který která "
    "také už jen podle při po od však nebo jejich bude mezi",
    "ro": "și în de la a cu pe un o care este nu din că să se mai au pentru sunt fost ca după al ale "
    "lui ei acest această sau dar iar fi",
    "hu": "a az és hogy nem is egy de meg van volt már csak ez ki mint el még azt után pedig vagy "
    "lesz sem minden kell amely akkor mert",
    "fi": "ja on ei se että oli hän mutta kun ovat myös tai ole kuin jo sen hänen niin vain mukaan "
    "joka jotka ollut tämä nyt sitten",
    "tr": "ve bir bu da de için ile olarak daha çok gibi en ama ancak olan sonra kadar ne değil her şey "
    "o ise ki mi diye göre ya veya",
    "id": "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh atau karena "
    "ada bisa sudah saat kami kita mereka ia dia telah lebih para seperti bahwa tersebut",
    "ru": "и в не на что с по как а он это к из у за то от о же для она так его но мы вы все бы "
    "уже был была были быть или если только который которые при до после также даже их ее",
    "uk": "і в не на що з та як а він це до із у за то від про для вона так його але ми ви все б вже "
    "був була були бути або якщо тільки який які при після також навіть їх її є",
    "bg": "и в на не да се за от с че е по са като но той тя това го ще във към бяха беше съм или "
    "след при които който която",
    "ar": "في من على إلى أن عن مع التي الذي هذا هذه كان قد لا ما هو هي بين كل بعد أو ذلك ثم حتى إن كما عند لم وقد وفي",
    "fa": "و در به از که این را با است برای آن یک تا می بود شد هم خود ها نیز کرد شده بر اما یا پس ای دارد",
}
LANGUAGE_ID_WORDS: dict[str, frozenset[str]] = {lang: frozenset(w.split()) for lang, w in _LANGUAGE_ID.items()}
