"""``flask timesheet create-user``."""

from __future__ import annotations

from flask import Flask

from tests.auth_support import count_users, log_in, user_row


def test_create_user_command_makes_an_account_that_can_log_in(app: Flask, runner) -> None:
    result = runner.invoke(
        args=["timesheet", "create-user", "--email", " Grace@Example.com", "--name", "Grace"],
        input="a long enough pw\na long enough pw\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created grace@example.com" in result.output
    assert user_row(app, "grace@example.com").name == "Grace"
    assert log_in(app.test_client(), "grace@example.com", "a long enough pw").status_code == 302


def test_create_user_command_refuses_bad_input(app: Flask, runner) -> None:
    base = ["timesheet", "create-user", "--name", "Grace"]
    short = runner.invoke(args=[*base, "--email", "g@example.com", "--password", "short"])
    assert short.exit_code != 0 and "password: Use at least 10 characters." in short.output
    ok = runner.invoke(args=[*base, "--email", "g@example.com", "--password", "x" * 12])
    assert ok.exit_code == 0
    again = runner.invoke(args=[*base, "--email", "G@EXAMPLE.com", "--password", "x" * 12])
    assert again.exit_code != 0 and "exists already" in again.output
    assert count_users(app) == 1


def test_the_cli_and_the_sign_up_form_refuse_with_the_same_rule(app: Flask, runner) -> None:
    """One rule, two interfaces: the messages come from services/accounts/rules.py for both."""
    client = app.test_client()
    cases = {
        "name": ("Gr\u202eace", "g1@example.com", "x" * 12),
        "email": ("Grace", "not-an-address", "x" * 12),
        "password": ("Grace", "g2@example.com", "short"),
    }
    for field, (name, email, password) in cases.items():
        page = client.post(
            "/auth/register",
            data={"name": name, "email": email, "password": password, "password_confirm": password},
        ).get_data(as_text=True)
        result = runner.invoke(
            args=[
                "timesheet",
                "create-user",
                "--name",
                name,
                "--email",
                email,
                "--password",
                password,
            ]
        )
        assert result.exit_code != 0
        message = result.output.split(f"{field}: ", 1)[1].strip()
        assert message and message in page.replace("&#39;", "'"), (field, message)
    assert count_users(app) == 0
