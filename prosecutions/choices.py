"""Choices of the prosecutions app (CPC, CTIP Act and ODPP vocabulary)."""

from django.db import models


class Statute(models.TextChoices):
    CTIP = "ctip", "Counter-Trafficking in Persons Act, 2010"
    SEXUAL_OFFENCES = "soa", "Sexual Offences Act, 2006"
    CHILDREN = "children", "Children Act, 2022"
    IMMIGRATION = "immigration", "Kenya Citizenship and Immigration Act, 2011"
    PENAL_CODE = "penal_code", "Penal Code (Cap. 63)"


class CourtLevel(models.TextChoices):
    CHIEF_MAGISTRATE = "cm", "Chief Magistrate's Court"
    SENIOR_PRINCIPAL_MAGISTRATE = "spm", "Senior Principal Magistrate's Court"
    PRINCIPAL_MAGISTRATE = "pm", "Principal Magistrate's Court"
    SENIOR_RESIDENT_MAGISTRATE = "srm", "Senior Resident Magistrate's Court"
    RESIDENT_MAGISTRATE = "rm", "Resident Magistrate's Court"
    HIGH_COURT = "hc", "High Court"
    COURT_OF_APPEAL = "ca", "Court of Appeal"
    SUPREME_COURT = "sc", "Supreme Court"


class Scope(models.TextChoices):
    INTERNAL = "internal", "Internal (within Kenya)"
    TRANSNATIONAL = "transnational", "Transnational (cross-border)"


class ExploitationType(models.TextChoices):
    """The forms of exploitation in s.2 of the CTIP Act."""

    SLAVERY = "slavery", "Slavery"
    PRACTICES_SIMILAR_TO_SLAVERY = "similar_to_slavery", "Practices similar to slavery"
    INVOLUNTARY_SERVITUDE = "servitude", "Involuntary servitude"
    ORGAN_REMOVAL = "organ_removal", "Removal of organs or body parts"
    ARMED_CONFLICT = "armed_conflict", "Use in armed conflict"
    FORCED_LABOUR = "forced_labour", "Forced labour"
    CHILD_LABOUR = "child_labour", "Child labour"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CHILD_MARRIAGE = "child_marriage", "Child marriage"
    FORCED_MARRIAGE = "forced_marriage", "Forced marriage"


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    CHARGING_DECISION = "charging_decision", "Charging decision"
    PRE_TRIAL = "pre_trial", "Pre-trial"
    TRIAL = "trial", "Trial"
    JUDGMENT = "judgment", "Judgment"
    SENTENCING = "sentencing", "Sentencing"
    APPEAL = "appeal", "Appeal"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    NOLLE_PROSEQUI = "nolle_prosequi", "Nolle prosequi (CPC s.82)"
    ABATED = "abated", "Abated"
    DIVERTED = "diverted", "Diverted"
    CONCLUDED = "concluded", "Concluded"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not recorded"


class IdentifierKind(models.TextChoices):
    """What a person is known by that recurs across cases, stored normalised so equal ones match."""

    NATIONAL_ID = "national_id", "National ID number"
    PASSPORT = "passport", "Passport number"
    PHONE = "phone", "Phone number"


class NetworkRole(models.TextChoices):
    """The accused's place in the trafficking network: policy is to pursue the organisers."""

    ORGANISER = "organiser", "Organiser / financier"
    RECRUITER = "recruiter", "Recruiter"
    TRANSPORTER = "transporter", "Transporter"
    HARBOURER = "harbourer", "Harbourer / exploiter"
    FACILITATING_OFFICIAL = "official", "Facilitating official"
    OTHER = "other", "Other"


class CustodyStatus(models.TextChoices):
    REMANDED = "remanded", "Remanded in custody"
    ON_BAIL = "on_bail", "Released on bail or bond"
    AT_LARGE = "at_large", "At large (warrant issued)"
    SERVING_SENTENCE = "serving", "Serving sentence"
    RELEASED = "released", "Released"


class Plea(models.TextChoices):
    NOT_TAKEN = "not_taken", "Not yet taken"
    NOT_GUILTY = "not_guilty", "Not guilty"
    GUILTY = "guilty", "Guilty"
    GUILTY_PLEA_AGREEMENT = "guilty_plea_agreement", "Guilty under a plea agreement (s.137A)"
    REFUSED = "refused", "Refused to plead (not guilty entered)"
    SPECIAL_PLEA = "special", "Special plea (previous conviction or acquittal, pardon)"


class Disposition(models.TextChoices):
    """The outcome of one count under the Criminal Procedure Code."""

    PENDING = "pending", "Pending"
    CONVICTED_AFTER_TRIAL = "convicted_trial", "Convicted after trial (s.215)"
    CONVICTED_OWN_PLEA = "convicted_plea", "Convicted on own plea of guilty"
    CONVICTED_PLEA_AGREEMENT = "convicted_agreement", "Convicted on plea agreement (s.137H)"
    ACQUITTED_NO_CASE = "acquitted_s210", "Acquitted — no case to answer (s.210)"
    ACQUITTED_AFTER_DEFENCE = "acquitted_s215", "Acquitted after defence (s.215)"
    ACQUITTED_WITHDRAWN = "acquitted_s87b", "Acquitted — withdrawn after defence (s.87(b))"
    ACQUITTED_COMPLAINT_WITHDRAWN = "acquitted_s204", "Acquitted — complaint withdrawn with leave (s.204)"
    DISCHARGED_WITHDRAWN = "discharged_s87a", "Discharged — withdrawn (s.87(a))"
    DISCHARGED_NOLLE_PROSEQUI = "discharged_s82", "Discharged — nolle prosequi (s.82)"
    ABATED = "abated", "Abated"


CONVICTIONS = frozenset(
    {Disposition.CONVICTED_AFTER_TRIAL, Disposition.CONVICTED_OWN_PLEA, Disposition.CONVICTED_PLEA_AGREEMENT}
)
ACQUITTALS = frozenset(
    {
        Disposition.ACQUITTED_NO_CASE,
        Disposition.ACQUITTED_AFTER_DEFENCE,
        Disposition.ACQUITTED_WITHDRAWN,
        Disposition.ACQUITTED_COMPLAINT_WITHDRAWN,
    }
)
DISCHARGES = frozenset({Disposition.DISCHARGED_WITHDRAWN, Disposition.DISCHARGED_NOLLE_PROSEQUI})


class FineRelation(models.TextChoices):
    """How a fine stands beside imprisonment in a sentence."""

    NONE = "none", "No fine"
    ALTERNATIVE = "alternative", "Fine or imprisonment (alternative)"
    CUMULATIVE = "cumulative", "Fine and imprisonment (cumulative)"
    FINE_ONLY = "fine_only", "Fine only"


class HearingPurpose(models.TextChoices):
    MENTION = "mention", "Mention"
    PLEA = "plea", "Plea"
    PRE_TRIAL = "pre_trial", "Pre-trial conference"
    HEARING = "hearing", "Hearing (prosecution case)"
    DEFENCE_HEARING = "defence", "Defence hearing"
    JUDGMENT = "judgment", "Judgment"
    SENTENCING = "sentencing", "Sentencing"
    RULING = "ruling", "Ruling"


class HearingOutcome(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PROCEEDED = "proceeded", "Proceeded"
    PART_HEARD = "part_heard", "Part heard"
    ADJOURNED = "adjourned", "Adjourned"
    VACATED = "vacated", "Vacated (not reached)"


class AdjournmentReason(models.TextChoices):
    PROSECUTION_NOT_READY = "prosecution_not_ready", "Prosecution not ready"
    WITNESS_ABSENT = "witness_absent", "Witness absent"
    DEFENCE_APPLICATION = "defence_application", "Defence application"
    ACCUSED_ABSENT = "accused_absent", "Accused not produced or absent"
    COURT_NOT_SITTING = "court_not_sitting", "Court not sitting"
    NEW_MAGISTRATE = "new_magistrate", "Change of magistrate (s.200)"
    INTERPRETER = "interpreter", "Interpreter unavailable"
    FILE_MISSING = "file_missing", "Court file missing"
    OTHER = "other", "Other"


class SentenceOverrideGround(models.TextChoices):
    """Why a sentence lies outside the statutory range of the offence version in force."""

    CHILD_OFFENDER = "child_offender", "The offender was a child (Children Act, 2022)"
    APPELLATE_ORDER = "appellate_order", "An appellate court's order"
    PLEA_AGREEMENT = "plea_agreement", "Sentence agreed in a plea agreement (CPC s.137I)"
    CONSTITUTIONAL_RULING = "constitutional", "Mandatory minimum held unconstitutional (court ruling)"
    OTHER = "other", "Other ground (stated in the reason)"


class CorrectionKind(models.TextChoices):
    """What kind of recorded fact a correction changed."""

    PLEA = "plea", "Plea"
    OUTCOME = "outcome", "Count outcome"
    SENTENCE = "sentence", "Sentence"
    HEARING = "hearing", "Hearing"
    ACCUSED = "accused", "Accused details"
