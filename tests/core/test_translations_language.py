"""Choosing the language: the switcher in the top bar (signed in or on the sign-in page), the form on the
profile page, the user's saved choice winning over the browser's, and the browser's language for everyone
who has chosen none."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.models import User
from core.translations import compile_catalogues

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
SET_LANGUAGE = reverse("core:set_language")


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def _lang(response: Any) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def test_the_sign_in_page_follows_the_browsers_language_and_offers_the_switcher(client: Client) -> None:
    swahili = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="sw-KE,sw;q=0.9,en;q=0.5")
    assert swahili.status_code == 200
    assert _lang(swahili) == "sw" and swahili["Content-Language"] == "sw"
    assert 'data-testid="language-switcher"' in swahili.content.decode()
    english = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    assert _lang(english) == "en-gb"
    assert _lang(client.get(LOGIN)) == "en-gb"  # no preference at all: the site's language


def test_choosing_kiswahili_on_the_sign_in_page_is_remembered_in_the_language_cookie(client: Client) -> None:
    response = client.post(SET_LANGUAGE, {"language": "sw", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sw"
    assert _lang(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")) == "sw"  # the choice beats the browser


def test_a_signed_in_users_choice_is_saved_and_beats_the_browser(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response = client.post(SET_LANGUAGE, {"language": "sw", "next": "/cases/?stage=trial"})
    assert response.status_code == 302 and response["Location"] == "/cases/?stage=trial"
    prosecutor.refresh_from_db()
    assert prosecutor.language == "sw"
    assert prosecutor.history.first().language == "sw"  # the account's history keeps the change

    fresh = Client()  # another browser, no cookie, asking for English
    fresh.force_login(prosecutor)
    home = fresh.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert home.status_code == 200 and _lang(home) == "sw"
    html = home.content.decode()
    # The top bar offers the language not in use: English, named in English.
    assert 'data-testid="language-en-gb"' in html and 'data-testid="language-sw"' not in html


def test_choosing_nothing_follows_the_browser_again(client: Client, prosecutor: User) -> None:
    prosecutor.language = "sw"
    prosecutor.save()
    client.force_login(prosecutor)
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "sw"
    response = client.post(SET_LANGUAGE, {"language": "", "next": "/"})
    assert response.status_code == 302
    prosecutor.refresh_from_db()
    assert prosecutor.language == ""
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en-gb"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="sw")) == "sw"


def test_an_unknown_language_is_refused_and_nothing_is_saved(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response = client.post(SET_LANGUAGE, {"language": "fr", "next": "/"})
    assert response.status_code == 400
    prosecutor.refresh_from_db()
    assert prosecutor.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_goes_back_only_to_a_page_of_ours(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    away = client.post(SET_LANGUAGE, {"language": "sw", "next": "https://evil.example/phish"})
    assert away["Location"] == reverse("core:home")
    client.logout()
    anonymous = client.post(SET_LANGUAGE, {"language": "en-gb", "next": "//evil.example/"})
    assert anonymous["Location"] == reverse("login")


def test_only_a_post_changes_the_language(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    assert client.get(SET_LANGUAGE, {"language": "sw"}).status_code == 405
    prosecutor.refresh_from_db()
    assert prosecutor.language == ""


def test_the_profile_page_has_the_language_form_with_the_current_choice(client: Client, prosecutor: User) -> None:
    prosecutor.language = "sw"
    prosecutor.save()
    client.force_login(prosecutor)
    html = client.get(reverse("core:profile")).content.decode()
    form = html[html.index('data-testid="language-form"') :]
    form = form[: form.index("</form>")]
    assert f'action="{SET_LANGUAGE}"' in html
    assert '<option value="sw" lang="sw" selected>' in form
    assert '<option value="" >' not in form and '<option value="">' in form  # "follow my browser", not chosen
