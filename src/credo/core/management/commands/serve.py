from django.core.management.commands.runserver import Command as RunserverCommand


class Command(RunserverCommand):
    help = "Serve Credo (development server) on 127.0.0.1:8000 unless another address is given."
    default_addr = "127.0.0.1"
    default_port = "8000"
