"""Bibliographic phrase banks for the demo corpus: journals, names, places, title and abstract parts.

All titles and abstracts are assembled from these banks; journal names, settings, roles and
countries are facts of the field (../shared/domain/field_facts.md), everything else is our own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Journal:
    """A journal: full name, MEDLINE abbreviation, ISO abbreviation (Scopus), DOI stem, article numbers."""

    name: str
    medline: str
    iso: str
    stem: str
    article_numbers: bool = False


# Journals where studies of peer work in drug-use services appear (field_facts.md).
FIELD_JOURNALS: tuple[Journal, ...] = (
    Journal("International Journal of Drug Policy", "Int J Drug Policy", "Int. J. Drug Policy",
            "j.drugpo", True),
    Journal("Harm Reduction Journal", "Harm Reduct J", "Harm Reduct. J.", "s12954", True),
    Journal("Drug and Alcohol Dependence", "Drug Alcohol Depend", "Drug Alcohol Depend.",
            "j.drugalcdep", True),
    Journal("Addiction", "Addiction", "Addiction", "add"),
    Journal("Journal of Substance Abuse Treatment", "J Subst Abuse Treat",
            "J. Subst. Abuse Treat.", "j.jsat", True),
    Journal("Substance Use & Misuse", "Subst Use Misuse", "Subst. Use Misuse", "10826084"),
    Journal("Addiction Research & Theory", "Addict Res Theory", "Addict. Res. Theory",
            "16066359"),
    Journal("Drugs: Education, Prevention and Policy", "Drugs (Abingdon Engl)",
            "Drugs Educ. Prev. Policy", "09687637"),
    Journal("Journal of Psychoactive Drugs", "J Psychoactive Drugs", "J. Psychoact. Drugs",
            "02791072"),
    Journal("Substance Abuse Treatment, Prevention, and Policy", "Subst Abuse Treat Prev Policy",
            "Subst. Abuse Treat. Prev. Policy", "s13011", True),
    Journal("Addiction Science & Clinical Practice", "Addict Sci Clin Pract",
            "Addict. Sci. Clin. Pract.", "s13722", True),
    Journal("Journal of Addiction Medicine", "J Addict Med", "J. Addict. Med.", "ADM"),
    Journal("Qualitative Health Research", "Qual Health Res", "Qual. Health Res.", "10497323"),
    Journal("Social Science & Medicine", "Soc Sci Med", "Soc. Sci. Med.", "j.socscimed", True),
    Journal("BMC Public Health", "BMC Public Health", "BMC Public Health", "s12889", True),
    Journal("BMC Health Services Research", "BMC Health Serv Res", "BMC Health Serv. Res.",
            "s12913", True),
    Journal("Journal of Urban Health", "J Urban Health", "J. Urban Health", "s11524"),
    Journal("American Journal of Public Health", "Am J Public Health", "Am. J. Public Health",
            "AJPH"),
    Journal("Psychiatric Rehabilitation Journal", "Psychiatr Rehabil J", "Psychiatr. Rehabil. J.",
            "prj"),
    Journal("Community Mental Health Journal", "Community Ment Health J",
            "Community Ment. Health J.", "s10597"),
    Journal("Journal of Social Work Practice in the Addictions", "J Soc Work Pract Addict",
            "J. Soc. Work Pract. Addict.", "1533256X"),
)

# Broad searches also catch general health and education journals.
OTHER_JOURNALS: tuple[Journal, ...] = (
    Journal("PLoS One", "PLoS One", "PLoS ONE", "journal.pone", True),
    Journal("BMJ Open", "BMJ Open", "BMJ Open", "bmjopen", True),
    Journal("Journal of Advanced Nursing", "J Adv Nurs", "J. Adv. Nurs.", "jan"),
    Journal("Nurse Education Today", "Nurse Educ Today", "Nurse Educ. Today", "j.nedt", True),
    Journal("Journal of Adolescent Health", "J Adolesc Health", "J. Adolesc. Health",
            "j.jadohealth"),
    Journal("Preventive Medicine", "Prev Med", "Prev. Med.", "j.ypmed", True),
    Journal("Addictive Behaviors", "Addict Behav", "Addict. Behav.", "j.addbeh", True),
    Journal("Journal of Medical Internet Research", "J Med Internet Res", "J. Med. Internet Res.",
            "jmir", True),
)

# Conference venues for conference abstracts (supplements of journals that print them).
CONFERENCE_VENUES: tuple[tuple[str, str], ...] = (
    ("Drug and Alcohol Dependence", "CPDD Annual Scientific Meeting"),
    ("Addiction Science & Clinical Practice", "INEBRIA Conference"),
    ("Journal of Addiction Medicine", "ASAM Annual Conference"),
    ("International Journal of Drug Policy", "International Harm Reduction Conference"),
)

# Family names; several carry diacritics so that copies which strip them still match.
FAMILY_NAMES: tuple[str, ...] = (
    "Abernethy", "Adeyemi", "Alvarez", "Andersen", "Ashford", "Bakker", "Barros", "Beaulieu",
    "Bélanger", "Bergström", "Bishop", "Blackwood", "Boateng", "Brennan", "Bruun", "Calder",
    "Carvalho", "Castillo", "Chaudhry", "Côté", "Cullen", "Dahl", "Delacroix", "Desai", "Dlamini",
    "Doherty", "Dubois", "Eklund", "Esposito", "Fagerlund", "Farrell", "Ferreira", "Fitzgerald",
    "Fontaine", "Gallagher", "García", "Gauthier", "Goldberg", "Gonzales", "Greenaway", "Gruber",
    "Haddad", "Halvorsen", "Hartley", "Henare", "Hogan", "Holm", "Hughes", "Ibrahim", "Iversen",
    "Jansen", "Jaramillo", "Johansson", "Kairu", "Kaur", "Kavanagh", "Keane", "Kowalczyk",
    "Lachance", "Larsen", "Lefèvre", "Lindqvist", "Lockwood", "Lundgren", "MacLeod", "Madsen",
    "Mahoney", "Marchetti", "Martínez", "McAllister", "McCready", "Mensah", "Moreau", "Müller",
    "Mwangi", "Nakamura", "Navarro", "Ndlovu", "Nguyen", "Nilsen", "Nørgaard", "Novak",
    "O'Brien", "O'Donnell", "Okafor", "Olsen", "Ortega", "Osei", "Pacheco", "Paquette", "Patel",
    "Pedersen", "Pereira", "Pham", "Quinlan", "Rahman", "Ramírez", "Rasmussen", "Reyes", "Rijken",
    "Robichaud", "Rosen", "Sandberg", "Schäfer", "Sheehan", "Singh", "Sjöberg", "Sørensen",
    "St-Pierre", "Strand", "Sullivan", "Tanaka", "Tremblay", "Turner", "Valdez", "van Dijk",
    "Vasquez", "Visser", "Wainwright", "Walsh", "Whitfield", "Wong", "Yilmaz", "Zhou",
)

GIVEN_NAMES: tuple[str, ...] = (
    "Aaron", "Ada", "Aisha", "Alex", "Amara", "Andrea", "Anna", "Ben", "Bridget", "Caitlin",
    "Carlos", "Chloe", "Ciarán", "Daniel", "Dana", "David", "Elif", "Elise", "Emma", "Eoin",
    "Farah", "Felix", "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Ingrid", "Isaac", "Jamal",
    "Jana", "Javier", "Jessica", "Jonas", "Kai", "Karin", "Kevin", "Kwame", "Laura", "Leah",
    "Liam", "Lucía", "Maja", "Marc", "Maria", "Mariam", "Mark", "Megan", "Mika", "Nadia",
    "Naomi", "Nathan", "Niamh", "Nils", "Olivia", "Omar", "Paul", "Priya", "Rachel", "Rafael",
    "Rebecca", "Rosa", "Ruth", "Samuel", "Sara", "Sean", "Sophie", "Stefan", "Tariq", "Tess",
    "Thomas", "Tomás", "Valérie", "Victor", "Wei", "Yusuf", "Zoe",
)

MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"

# Countries with places within them; places with diacritics test normalisation.
PLACES: tuple[tuple[str, str], ...] = (
    ("Canada", "British Columbia"), ("Canada", "Vancouver"), ("Canada", "Toronto"),
    ("Canada", "Montréal"), ("Canada", "Québec"), ("Canada", "Ontario"), ("Canada", "Alberta"),
    ("United States", "Baltimore"), ("United States", "New York City"),
    ("United States", "Massachusetts"), ("United States", "rural Kentucky"),
    ("United States", "Philadelphia"), ("United States", "San Francisco"),
    ("United States", "Rhode Island"), ("United States", "Ohio"), ("United States", "Seattle"),
    ("Australia", "Sydney"), ("Australia", "Melbourne"), ("Australia", "Queensland"),
    ("United Kingdom", "Glasgow"), ("United Kingdom", "London"), ("United Kingdom", "Wales"),
    ("Ireland", "Dublin"), ("Norway", "Oslo"), ("Norway", "Tromsø"), ("Sweden", "Malmö"),
    ("Sweden", "Stockholm"), ("Denmark", "Copenhagen"), ("France", "Marseille"),
    ("France", "Paris"), ("Netherlands", "Amsterdam"), ("Netherlands", "Rotterdam"),
    ("New Zealand", "Auckland"), ("New Zealand", "Wellington"),
)

# Non-peer-led service settings (field_facts.md): (title phrase, methods phrase).
SETTINGS: tuple[tuple[str, str], ...] = (
    ("supervised consumption sites", "two supervised consumption sites run by a regional health authority"),
    ("overdose prevention sites", "three overdose prevention sites operated by a community health agency"),
    ("syringe service programmes", "a syringe service programme hosted by a public health department"),
    ("opioid agonist treatment clinics", "four opioid agonist treatment clinics in a hospital network"),
    ("emergency departments", "the emergency departments of two urban teaching hospitals"),
    ("inpatient addiction consult services", "an inpatient addiction medicine consult service"),
    ("shelter-based harm reduction", "harm reduction programmes based in three emergency shelters"),
    ("street outreach services", "a street outreach team of a non-governmental health organisation"),
    ("recovery community centres", "two recovery support programmes run by a treatment provider"),
    ("drug checking services", "a drug checking service attached to a public health clinic"),
    ("re-entry programmes", "a re-entry programme for people leaving prison run by a health charity"),
    ("community health centres", "a community health centre offering low-threshold addiction care"),
    ("hepatitis C treatment services", "a hepatitis C treatment service for people who inject drugs"),
)

# Peer role titles (field_facts.md), singular and plural.
ROLES: tuple[tuple[str, str], ...] = (
    ("peer worker", "peer workers"),
    ("peer support specialist", "peer support specialists"),
    ("peer recovery coach", "peer recovery coaches"),
    ("peer navigator", "peer navigators"),
    ("peer mentor", "peer mentors"),
    ("experiential worker", "experiential workers"),
    ("peer support worker", "peer support workers"),
    ("community health worker with lived experience", "community health workers with lived experience"),
)

# Designs of included studies: (title suffix, methods sentence, analysis).
QUAL_DESIGNS: tuple[tuple[str, str], ...] = (
    ("a qualitative study", "semi-structured interviews"),
    ("an ethnographic study", "ethnographic fieldwork with participant observation and interviews"),
    ("a focus group study", "focus groups"),
    ("qualitative findings from a mixed-methods evaluation",
     "in-depth interviews nested in a mixed-methods evaluation"),
    ("an interpretive description", "semi-structured interviews"),
    ("a photovoice study", "photovoice sessions followed by group discussions"),
    ("a qualitative interview study", "in-depth interviews"),
)

ANALYSES: tuple[str, ...] = (
    "reflexive thematic analysis", "interpretive description", "constructivist grounded theory",
    "qualitative content analysis", "the framework method", "inductive thematic analysis",
)

# Title hooks: short invented participant phrases used as title leads.
TITLE_HOOKS: tuple[str, ...] = (
    "Somebody who has walked that road", "I am more than my past", "We are the ones they call",
    "It keeps me honest", "The first face at the door", "You carry it home with you",
    "They see the badge before they see me", "Half staff, half client", "I know that look",
    "They come to us first", "Nobody wrote it down", "A foot in both worlds",
    "It's a job, not a favour", "The person I needed back then", "We speak the same language",
    "Still one of them", "Not a volunteer anymore", "Who I was and who I am",
    "You learn on the floor", "Show up and stay", "The phone never really stops",
    "Someone like me", "Between the counter and the street", "Proof that it can change",
)

# Title cores for studies of peer work: {role}/{roles} and {setting} are filled in.
INCLUDED_CORES: tuple[str, ...] = (
    "{roles}' experiences of overdose response work in {setting}",
    "How {roles} negotiate their dual position in {setting}",
    "Integrating {roles} into clinical teams in {setting}",
    "The emotional work of {roles} in {setting}",
    "Clients' and staff perspectives on {roles} in {setting}",
    "Lived experience at work among {roles} in {setting}",
    "Everyday practice of {roles} in {setting}",
    "Disclosure, identity and work among {roles} in {setting}",
    "Employment conditions and workplace inclusion of {roles} in {setting}",
    "What {roles} bring to {setting}",
    "Managers' and {roles}' accounts of peer practice in {setting}",
    "Becoming a {role} in {setting}",
)

# Abstract sentence templates for included and look-alike studies.
INCLUDED_BACKGROUND: tuple[str, ...] = (
    "People with lived experience of drug use are increasingly employed in harm reduction and "
    "treatment services, yet little is known about how they experience this work.",
    "Services for people who use drugs have expanded peer roles, but the perspectives of the "
    "people who fill those roles are rarely examined.",
    "Peer roles have become common in drug services run by health authorities and non-profit "
    "agencies, raising questions about how lived experience is put to work.",
    "The overdose crisis has prompted many organisations to hire people who use or have used "
    "drugs, often with little guidance on how these roles should be supported.",
)
INCLUDED_AIMS: tuple[str, ...] = (
    "This study explored how {roles} experience their work in {setting} in {place}.",
    "We examined the experiences of {roles}, clients and non-peer staff in {setting} in {place}.",
    "This paper describes how {roles} in {setting} in {place} understand their role and its "
    "demands.",
    "We aimed to understand the conditions that shape peer practice in {setting} in {place}.",
)
INCLUDED_METHODS: tuple[str, ...] = (
    "We conducted {collection} with {n_peers} {roles} and {n_staff} non-peer staff between "
    "{y1} and {y2}; transcripts were analysed using {analysis}.",
    "Data were collected through {collection} with {n_peers} {roles}, {n_clients} clients and "
    "{n_staff} staff members and analysed with {analysis}.",
    "{collection_cap} were held with {n_peers} {roles} working across {n_sites} sites; "
    "{analysis} guided the analysis.",
)
INCLUDED_RESULTS: tuple[str, ...] = (
    "Participants described how shared history opened doors with clients, how daily exposure "
    "to overdose weighed on peers, and how unclear roles and unequal pay limited their work.",
    "Three themes were developed: what lived experience adds to services, the personal costs of "
    "working close to one's own history, and the organisational conditions that enable or "
    "constrain peers.",
    "Peers valued the chance to help others but reported emotional strain, blurred lines "
    "between work and private life, and limited room to advance within their organisations.",
    "Findings point to benefits for clients and services alongside challenges rooted in peers' "
    "own histories and in how organisations structure their roles.",
)
INCLUDED_CONCLUSIONS: tuple[str, ...] = (
    "Organisations employing peers need to adapt their structures and culture so that lived "
    "experience is supported rather than simply used.",
    "Fair pay, clear role descriptions and dedicated support are needed to sustain peer work.",
    "Services should treat peer work as skilled work and plan for its emotional demands.",
    "Our findings call for organisational change alongside the expansion of peer roles.",
)

# Titles and abstracts of near misses, by type. 'clear' versions fail at title/abstract,
# 'ambiguous' versions reach full text. {role}/{roles}/{setting}/{place}/{outcome} are filled in.
OUTCOMES: tuple[str, ...] = (
    "treatment retention", "naloxone uptake", "linkage to hepatitis C care",
    "non-fatal overdose", "buprenorphine initiation", "emergency department revisits",
    "HIV testing", "days of opioid use", "engagement with outpatient care",
    "injection-related infections",
)
NEAR_MISS_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "design": {
        "clear": (
            "Effect of {role} support on {outcome} in {place}: {quant_design}",
            "{roles_cap} and {outcome} after discharge from {setting}: {quant_design}",
            "Peer navigation and {outcome} in {setting} in {place}: {quant_design}",
            "Predictors of {outcome} among clients of {roles} in {place}: {quant_design}",
        ),
        "ambiguous": (
            "Evaluation of a {role} programme in {setting} in {place}: a mixed-methods study",
            "Implementing {roles} in {setting}: programme outcomes in {place}",
        ),
    },
    "setting": {
        "clear": (
            "{user_org_cap} and {activity} in {place}: {nm_suffix}",
            "How {user_org} runs {activity} in {place}",
        ),
        "ambiguous": (
            "{roles_cap} and {activity} in {place}: {qual_suffix}",
            "Experiences of {roles} delivering {activity} in {place}",
        ),
    },
    "population": {
        "clear": (
            "{mh_role} in {mh_setting} in {place}: {nm_suffix}",
            "Fellow residents as peers in {mh_setting} in {place}",
        ),
        "ambiguous": (
            "Lived experience workers in {mh_setting} in {place}: {qual_suffix}",
            "Working from experience: {roles} in {mh_setting} in {place}",
        ),
    },
    "peer_pressure": {
        "clear": (
            "{peer_factor} and {substance} among {youth} in {place}",
            "{peer_factor}, friendship networks and {substance} among {youth} in {place}",
        ),
        "ambiguous": (
            "{peer_factor} and {substance} among {youth} in {place}: qualitative insights",
        ),
    },
    "alcohol": {
        "clear": (
            "{alc_role} in {alc_setting} in {place}: {nm_suffix}",
        ),
        "ambiguous": (
            "{alc_role} in {recovery_service} in {place}: {qual_suffix}",
        ),
    },
    "secondary": {
        "clear": (
            "Building a {role} workforce in {setting} in {place}: {nm_suffix}",
        ),
        "ambiguous": (
            "Building a {role} workforce in {setting} in {place}: a programme description",
            "Study protocol for an evaluation of {roles} in {setting} in {place}",
        ),
    },
}
QUAL_SUFFIXES: tuple[str, ...] = (
    "a qualitative study", "an interview study", "qualitative insights", "a focus group study",
    "perspectives of workers", "an exploratory study",
)
RECOVERY_SERVICES: tuple[str, ...] = (
    "recovery services", "aftercare programmes", "community recovery hubs",
    "outpatient recovery clinics",
)
QUANT_DESIGNS: tuple[str, ...] = (
    "a randomised controlled trial", "a retrospective cohort study", "a quasi-experimental evaluation",
    "a cross-sectional survey", "an interrupted time-series analysis", "a propensity-matched study",
)
NM_SUFFIXES: tuple[str, ...] = (
    "lessons learned", "a case report", "an interview study", "reflections from practice",
    "an exploratory study", "findings from a regional project", "a descriptive account",
)
USER_ORGS: tuple[str, ...] = (
    "a drug user union", "a user-led collective", "a peer-run drop-in", "a network of people who "
    "use drugs", "a member-run harm reduction society",
)
ACTIVITIES: tuple[str, ...] = (
    "overdose response", "naloxone distribution", "drug checking", "syringe distribution",
    "night-time outreach", "safer supply advocacy",
)
MH_ROLES: tuple[str, ...] = (
    "Peer support workers", "Mental health peer specialists", "Consumer consultants",
    "Recovery college tutors",
)
MH_SETTINGS: tuple[str, ...] = (
    "community mental health teams", "acute psychiatric wards", "therapeutic communities",
    "early psychosis services", "crisis houses",
)
PEER_FACTORS: tuple[str, ...] = (
    "Peer influence", "Peer norms", "Perceived peer use", "Peer pressure", "Peer group affiliation",
)
SUBSTANCES: tuple[str, ...] = (
    "early cannabis initiation", "stimulant use", "binge drinking", "vaping", "prescription drug misuse",
)
YOUTH: tuple[str, ...] = (
    "secondary school students", "adolescents", "first-year university students",
    "young people in foster care", "adolescent athletes",
)
ALC_ROLES: tuple[str, ...] = (
    "Peer mentoring", "Lay helpers", "Volunteer sponsors", "Recovery buddies",
)
ALC_SETTINGS: tuple[str, ...] = (
    "alcohol-only recovery programmes", "brief alcohol interventions in primary care",
    "alcohol treatment aftercare", "workplace alcohol programmes", "drink-driving programmes",
)
NEAR_MISS_ABSTRACTS: dict[str, tuple[str, ...]] = {
    "design": (
        "We assessed whether support from {roles} improved {outcome} among people who use drugs "
        "in {place}, using {quant_design}.",
        "Participants were allocated to usual care or usual care plus {role} support; the primary "
        "outcome was {outcome} at six months, analysed with logistic regression.",
        "The adjusted odds ratio for the primary outcome was {or_value} (95% CI {ci_low} to "
        "{ci_high}).",
    ),
    "design_ambiguous": (
        "This paper reports an evaluation of a {role} programme in {setting} in {place}.",
        "The evaluation used programme records and questionnaires with clients and staff, and "
        "also gathered staff views on the programme.",
        "Results describe reach, client outcomes and perceptions of the programme.",
    ),
    "setting": (
        "This study describes how {user_org}, governed and staffed by people who use drugs, "
        "runs its own {activity} in {place}.",
        "Members of the user-led group took part in interviews about organising, funding and "
        "relations with health authorities.",
    ),
    "setting_ambiguous": (
        "We interviewed {roles} involved in {activity} in {place} about their work.",
        "Participants described their daily tasks, their relations with clients and the support "
        "they received.",
    ),
    "population": (
        "We interviewed {mh_role_lower} employed in {mh_setting} in {place} about their role.",
        "The workers drew on their own experience of psychiatric illness; substance use services "
        "were not part of the study.",
    ),
    "population_ambiguous": (
        "We explored how workers with lived experience understand their role in {mh_setting} "
        "in {place}.",
        "Interviews covered disclosure, relations with colleagues and support at work.",
    ),
    "peer_pressure": (
        "We examined how friendship networks and perceived peer norms relate to {substance} "
        "among {youth} in {place}.",
        "Survey data from school students were analysed with multilevel models.",
    ),
    "peer_pressure_ambiguous": (
        "{youth_cap} in {place} described how friends and peers shaped their drug use.",
        "Interviews explored initiation, group norms and help-seeking.",
    ),
    "alcohol": (
        "We describe {alc_role_lower} within {alc_setting} in {place}.",
        "The programmes served people with alcohol problems only; other drug use was an "
        "exclusion criterion.",
    ),
    "alcohol_ambiguous": (
        "This study explored the experiences of peer mentors working in recovery services in "
        "{place}.",
        "Mentors were interviewed about their role, training and relations with clients.",
    ),
    "secondary": (
        "This paper describes how a {role} programme was set up in {setting} in {place}.",
        "We outline recruitment, role design and the lessons learned by the programme team.",
    ),
    "secondary_ambiguous": (
        "This paper describes how a {role} programme was set up in {setting} in {place}.",
        "We outline recruitment, role design and planned evaluation activities.",
    ),
}

# Reviews and commentaries (removed by the publication-type rule where the type is exported).
REVIEW_TITLES: tuple[str, ...] = (
    "{roles_cap} in harm reduction and treatment services: a scoping review",
    "Peer support for people who use drugs: a systematic review of {outcome}",
    "Experiences of peer work in addiction services: a meta-synthesis",
    "Peer roles in {setting}: a narrative review",
    "Peer delivered interventions and {outcome}: systematic review and meta-analysis",
)
COMMENTARY_TITLES: tuple[str, ...] = (
    "Paying {roles} fairly is overdue",
    "Peers are not a cheaper workforce: a commentary",
    "Editorial: the future of {roles} in {setting}",
    "Why {setting} need {roles}",
    "Lived experience in the overdose crisis: a call to action",
)
REVIEW_ABSTRACT = (
    "We searched bibliographic databases for studies of {roles} in services for people who "
    "use drugs and synthesised their findings.",
    "Studies reported effects on {outcome} and described how peer roles were organised.",
)
COMMENTARY_ABSTRACT = (
    "This commentary argues that services relying on {roles} must change how they employ them.",
    "We discuss pay, job security and the place of lived experience in {setting}.",
)

# Topics caught by a broad search but unrelated to peer work; slots are independent so that
# titles can be drawn with every pair of slots distinct.
IRRELEVANT_TOPICS: tuple[str, ...] = (
    "Hepatitis C treatment uptake", "Non-fatal overdose history", "Injection-related skin infections",
    "Cannabis use frequency", "Sleep quality", "Smoking cessation attempts", "Stimulant use patterns",
    "Benzodiazepine co-prescribing", "Retention in opioid agonist treatment", "Naloxone kit carriage",
    "Methadone dose trajectories", "Fentanyl test strip use", "Alcohol-related hospital admissions",
    "Chronic pain and opioid tapering", "Prescription stimulant misuse", "Gambling problems",
    "Depressive symptoms", "Intimate partner violence", "Food insecurity", "HIV pre-exposure prophylaxis uptake",
    "Dental health", "Cognitive function", "Suicidal ideation", "Nicotine vaping", "Homelessness duration",
    "Emergency department use", "Buprenorphine prescribing by nurse practitioners",
    "Academic performance and peer tutoring", "Peer review quality", "Peer victimisation",
    "Wastewater-based estimates of drug use", "Police contact", "Drug-related deaths",
    "Telehealth for opioid use disorder", "Ketamine-assisted therapy", "Neonatal abstinence syndrome",
    "Workplace drug testing", "Methamphetamine-related psychosis", "Overdose mortality after prison release",
    "Kratom use", "Gabapentinoid misuse", "Sexual risk behaviour", "Physical activity",
    "Medical cannabis dispensing", "Hepatitis B vaccination", "Tuberculosis screening",
)
IRRELEVANT_POPULATIONS: tuple[str, ...] = (
    "people who inject drugs", "young adults", "pregnant women", "older adults", "veterans",
    "nursing students", "sex workers", "adolescents", "emergency physicians", "pharmacists",
    "university students", "men who have sex with men", "people experiencing homelessness",
    "patients with chronic pain", "prisoners", "general practitioners", "rural residents",
    "Indigenous communities", "construction workers", "medical residents", "adults with HIV",
    "people on methadone", "cannabis users", "migrants", "twins",
)
IRRELEVANT_DESIGNS: tuple[str, ...] = (
    "a cross-sectional survey", "a retrospective cohort study", "a latent class analysis",
    "results from a national survey", "a randomised controlled trial", "a cost-effectiveness analysis",
    "a population-based study", "a multilevel analysis", "a ten-year follow-up",
    "secondary analysis of trial data", "a time-series analysis", "a case-control study",
    "a modelling study", "a pilot feasibility study", "a registry study",
)
IRRELEVANT_SENTENCES: tuple[str, ...] = (
    "We examined {topic_lower} among {population} in {place} using {design}.",
    "Data on {n} participants were analysed with regression models adjusted for age, sex and "
    "income.",
    "{topic_cap} was associated with {factor} (adjusted odds ratio {or_value}; 95% CI {ci_low} "
    "to {ci_high}).",
    "These findings have implications for {field} and for future research.",
)
IRRELEVANT_FACTORS: tuple[str, ...] = (
    "younger age", "recent incarceration", "unstable income", "daily injection",
    "female sex", "longer treatment duration", "rural residence", "prior overdose",
)
IRRELEVANT_FIELDS: tuple[str, ...] = (
    "clinical practice", "public health surveillance", "service planning", "health policy",
    "professional education", "prevention programmes",
)

# Keywords and subject headings exported by the databases.
MESH_INCLUDED: tuple[str, ...] = (
    "Humans", "Peer Group", "Harm Reduction", "Qualitative Research", "Drug Users/psychology",
    "*Substance-Related Disorders/rehabilitation", "Counseling", "Interviews as Topic",
    "Health Personnel/psychology", "Opiate Overdose/prevention & control",
)
MESH_OTHER: tuple[str, ...] = (
    "Humans", "Adult", "Female", "Male", "Cross-Sectional Studies", "Risk Factors",
    "Substance-Related Disorders/epidemiology", "Surveys and Questionnaires", "Cohort Studies",
)
KEYWORDS_INCLUDED: tuple[str, ...] = (
    "Peer work", "Lived experience", "Harm reduction", "Qualitative", "Overdose",
    "Drug use", "Workforce", "Organisational change",
)
KEYWORDS_OTHER: tuple[str, ...] = (
    "Substance use", "Epidemiology", "Risk factors", "Opioids", "Public health", "Survey",
)

# Other languages for records the language rule removes: (name, MEDLINE code).
OTHER_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("French", "fre"), ("Spanish", "spa"), ("German", "ger"), ("Portuguese", "por"),
    ("Norwegian", "nor"),
)
