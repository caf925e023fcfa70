from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "sayyes.invitations"
    verbose_name = "Invitations: calendar files, e-mails and a watched mailbox"
