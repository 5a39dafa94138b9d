"""The demo logins: one user per role plus one holding two roles, and a second access administrator so
that sensitive grants can be approved by someone other than the one who asked. Development only."""

from __future__ import annotations

from dataclasses import dataclass

from core.roles import Role

DEMO_PASSWORD = "ctip-demo-2026"
FIRST_ACCESS_ADMIN = "accessadmin"
SECOND_ACCESS_ADMIN = "accessadmin2"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("prosecutor", "Achieng", "Otieno", (Role.PROSECUTOR,)),
    DemoUser("prosecutor2", "Brian", "Kiprotich", (Role.PROSECUTOR,)),
    DemoUser("unithead", "Wanjiru", "Kamau", (Role.UNIT_HEAD,)),
    DemoUser("liaison", "Hassan", "Abdi", (Role.WITNESS_LIAISON,)),
    DemoUser("fundadmin", "Grace", "Wambui", (Role.FUND_ADMINISTRATOR,)),
    DemoUser("approver", "Peter", "Mwangi", (Role.FUND_APPROVER,)),
    DemoUser("auditor", "Faith", "Njeri", (Role.AUDITOR,)),
    DemoUser("multirole", "Daniel", "Ouma", (Role.PROSECUTOR, Role.WITNESS_LIAISON)),
    DemoUser("victimservices", "Amina", "Hussein", (Role.VICTIM_SERVICES_OFFICER,)),
    DemoUser(FIRST_ACCESS_ADMIN, "Mercy", "Chebet", (Role.ACCESS_ADMINISTRATOR,)),
    DemoUser(SECOND_ACCESS_ADMIN, "Joseph", "Mutua", (Role.ACCESS_ADMINISTRATOR,)),
)
