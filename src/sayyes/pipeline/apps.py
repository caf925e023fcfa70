from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "sayyes.pipeline"
    label = "pipeline"
