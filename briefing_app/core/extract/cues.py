"""Words that tell who is speaking: said, told, described … as, according to, and kin.

Verbs of saying, and of stance that news uses to frame a quote ("portrayed … as", "hailed",
"denounced"), in the forms they take next to a quote.
"""

CUES = frozenset(
    """
    accused acknowledged added adding adds admit admits admitted announced announcing
    answered argue argued argues arguing asked asks begged blasted boasted branded call
    called calling calls cautioned characterised characterized claim claimed claims
    commented complained conceded concedes concluded condemned confirming continued
    criticised criticized declared declaring decried demanded denounced denounces
    denouncing describe described describes describing dismissed dubbed dubbing echoed
    emphasised emphasising emphasized emphasizing explained explains focused focusing
    framed framing hailed hailing highlighted highlighting hoped hopes hoping insist
    insisted insisting insists joked labeled labelled lamented mused note noted notes
    noting observed pleaded pledged portrayed portraying posted posting posts praised
    praising predict predicted promised quipped quoted read reads recalled recalls
    referred referring refers rejected remarked repeated replied replies reported
    reporting reports responded said say saying says scoffed shouted slammed stated states
    stress stressed stresses stressing suggested suggesting telling tells termed terming
    terms thanked thanking told tweeted urge urged urges urging vowed warn warned warning
    warns welcomed whispered writes writing wrote
    chanted chanting shouting tell
    """.split()
)
