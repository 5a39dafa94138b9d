"""Small factories shared by every app's tests."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from core.models import User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.groups.set(Group.objects.filter(name__in=list(extracted)))
