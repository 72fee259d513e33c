"""A JobQueue stand-in that keeps what was sent, for tests of the domain without SQS."""


class RecordingQueue:
    def __init__(self):
        self.sent = []
        self.delays = []

    def send(self, job, delay_seconds=0):
        self.sent.append(job)
        self.delays.append(delay_seconds)
