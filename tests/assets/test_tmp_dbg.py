import pytest
from django.db import connection
from core.models import County
from django.contrib.auth.models import Group

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a():
    print("A", County.objects.count(), Group.objects.count(), hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "") or ""))

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_b():
    print("B", County.objects.count(), Group.objects.count(), len(getattr(connection, "_test_serialized_contents", "") or ""))
    print(connection.settings_dict.get("TEST"))
