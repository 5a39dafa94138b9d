"""Choices of the prosecutions app (CPC, CTIP Act and ODPP vocabulary)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Statute(models.TextChoices):
    """The statutes charged under; their labels are their names as enacted (never translated)."""

    CTIP = "ctip", "Counter-Trafficking in Persons Act, 2010"
    SEXUAL_OFFENCES = "soa", "Sexual Offences Act, 2006"
    CHILDREN = "children", "Children Act, 2022"
    IMMIGRATION = "immigration", "Kenya Citizenship and Immigration Act, 2011"
    PENAL_CODE = "penal_code", "Penal Code (Cap. 63)"


class CourtLevel(models.TextChoices):
    CHIEF_MAGISTRATE = "cm", _("Chief Magistrate's Court")
    SENIOR_PRINCIPAL_MAGISTRATE = "spm", _("Senior Principal Magistrate's Court")
    PRINCIPAL_MAGISTRATE = "pm", _("Principal Magistrate's Court")
    SENIOR_RESIDENT_MAGISTRATE = "srm", _("Senior Resident Magistrate's Court")
    RESIDENT_MAGISTRATE = "rm", _("Resident Magistrate's Court")
    HIGH_COURT = "hc", _("High Court")
    COURT_OF_APPEAL = "ca", _("Court of Appeal")
    SUPREME_COURT = "sc", _("Supreme Court")


class Scope(models.TextChoices):
    INTERNAL = "internal", _("Internal (within Kenya)")
    TRANSNATIONAL = "transnational", _("Transnational (cross-border)")


class ExploitationType(models.TextChoices):
    """The forms of exploitation in s.2 of the CTIP Act."""

    SLAVERY = "slavery", _("Slavery")
    PRACTICES_SIMILAR_TO_SLAVERY = "similar_to_slavery", _("Practices similar to slavery")
    INVOLUNTARY_SERVITUDE = "servitude", _("Involuntary servitude")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs or body parts")
    ARMED_CONFLICT = "armed_conflict", _("Use in armed conflict")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    CHILD_LABOUR = "child_labour", _("Child labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    CHARGING_DECISION = "charging_decision", _("Charging decision")
    PRE_TRIAL = "pre_trial", _("Pre-trial")
    TRIAL = "trial", _("Trial")
    JUDGMENT = "judgment", _("Judgment")
    SENTENCING = "sentencing", _("Sentencing")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")


class ClosureReason(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    NOLLE_PROSEQUI = "nolle_prosequi", _("Nolle prosequi (CPC s.82)")
    ABATED = "abated", _("Abated")
    DIVERTED = "diverted", _("Diverted")
    CONCLUDED = "concluded", _("Concluded")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not recorded")


class IdentifierKind(models.TextChoices):
    """What a person is known by that recurs across cases, stored normalised so equal ones match."""

    NATIONAL_ID = "national_id", _("National ID number")
    PASSPORT = "passport", _("Passport number")
    PHONE = "phone", _("Phone number")


class NetworkRole(models.TextChoices):
    """The accused's place in the trafficking network: policy is to pursue the organisers."""

    ORGANISER = "organiser", _("Organiser / financier")
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    HARBOURER = "harbourer", _("Harbourer / exploiter")
    FACILITATING_OFFICIAL = "official", _("Facilitating official")
    OTHER = "other", _("Other")


class CustodyStatus(models.TextChoices):
    REMANDED = "remanded", _("Remanded in custody")
    ON_BAIL = "on_bail", _("Released on bail or bond")
    AT_LARGE = "at_large", _("At large (warrant issued)")
    SERVING_SENTENCE = "serving", _("Serving sentence")
    RELEASED = "released", _("Released")


class Plea(models.TextChoices):
    NOT_TAKEN = "not_taken", _("Not yet taken")
    NOT_GUILTY = "not_guilty", _("Not guilty")
    GUILTY = "guilty", _("Guilty")
    GUILTY_PLEA_AGREEMENT = "guilty_plea_agreement", _("Guilty under a plea agreement (s.137A)")
    REFUSED = "refused", _("Refused to plead (not guilty entered)")
    SPECIAL_PLEA = "special", _("Special plea (previous conviction or acquittal, pardon)")


class Disposition(models.TextChoices):
    """The outcome of one count under the Criminal Procedure Code."""

    PENDING = "pending", _("Pending")
    CONVICTED_AFTER_TRIAL = "convicted_trial", _("Convicted after trial (s.215)")
    CONVICTED_OWN_PLEA = "convicted_plea", _("Convicted on own plea of guilty")
    CONVICTED_PLEA_AGREEMENT = "convicted_agreement", _("Convicted on plea agreement (s.137H)")
    ACQUITTED_NO_CASE = "acquitted_s210", _("Acquitted — no case to answer (s.210)")
    ACQUITTED_AFTER_DEFENCE = "acquitted_s215", _("Acquitted after defence (s.215)")
    ACQUITTED_WITHDRAWN = "acquitted_s87b", _("Acquitted — withdrawn after defence (s.87(b))")
    ACQUITTED_COMPLAINT_WITHDRAWN = "acquitted_s204", _("Acquitted — complaint withdrawn with leave (s.204)")
    DISCHARGED_WITHDRAWN = "discharged_s87a", _("Discharged — withdrawn (s.87(a))")
    DISCHARGED_NOLLE_PROSEQUI = "discharged_s82", _("Discharged — nolle prosequi (s.82)")
    ABATED = "abated", _("Abated")


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

    NONE = "none", _("No fine")
    ALTERNATIVE = "alternative", _("Fine or imprisonment (alternative)")
    CUMULATIVE = "cumulative", _("Fine and imprisonment (cumulative)")
    FINE_ONLY = "fine_only", _("Fine only")


class HearingPurpose(models.TextChoices):
    MENTION = "mention", _("Mention")
    PLEA = "plea", _("Plea")
    PRE_TRIAL = "pre_trial", _("Pre-trial conference")
    HEARING = "hearing", _("Hearing (prosecution case)")
    DEFENCE_HEARING = "defence", _("Defence hearing")
    JUDGMENT = "judgment", _("Judgment")
    SENTENCING = "sentencing", _("Sentencing")
    RULING = "ruling", _("Ruling")


class HearingOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PROCEEDED = "proceeded", _("Proceeded")
    PART_HEARD = "part_heard", _("Part heard")
    ADJOURNED = "adjourned", _("Adjourned")
    VACATED = "vacated", _("Vacated (not reached)")


class AdjournmentReason(models.TextChoices):
    PROSECUTION_NOT_READY = "prosecution_not_ready", _("Prosecution not ready")
    WITNESS_ABSENT = "witness_absent", _("Witness absent")
    DEFENCE_APPLICATION = "defence_application", _("Defence application")
    ACCUSED_ABSENT = "accused_absent", _("Accused not produced or absent")
    COURT_NOT_SITTING = "court_not_sitting", _("Court not sitting")
    NEW_MAGISTRATE = "new_magistrate", _("Change of magistrate (s.200)")
    INTERPRETER = "interpreter", _("Interpreter unavailable")
    FILE_MISSING = "file_missing", _("Court file missing")
    OTHER = "other", _("Other")


class SentenceOverrideGround(models.TextChoices):
    """Why a sentence lies outside the statutory range of the offence version in force."""

    CHILD_OFFENDER = "child_offender", _("The offender was a child (Children Act, 2022)")
    APPELLATE_ORDER = "appellate_order", _("An appellate court's order")
    PLEA_AGREEMENT = "plea_agreement", _("Sentence agreed in a plea agreement (CPC s.137I)")
    CONSTITUTIONAL_RULING = "constitutional", _("Mandatory minimum held unconstitutional (court ruling)")
    OTHER = "other", _("Other ground (stated in the reason)")


class CorrectionKind(models.TextChoices):
    """What kind of recorded fact a correction changed."""

    PLEA = "plea", _("Plea")
    OUTCOME = "outcome", _("Count outcome")
    SENTENCE = "sentence", _("Sentence")
    HEARING = "hearing", _("Hearing")
    ACCUSED = "accused", _("Accused details")
