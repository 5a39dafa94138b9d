import pytest
from django.test import Client


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_county_list_shows_counties(client: Client, prosecutor) -> None:
    client.force_login(prosecutor)
    response = client.get("/counties/?q=Nairobi")
    assert response.status_code == 200
    assert "Nairobi City" in response.content.decode()
