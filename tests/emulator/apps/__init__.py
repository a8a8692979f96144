"""The emulated vendor APIs.  Adding a platform = one module here plus one entry in APPS."""

from apps.arcgis import ArcgisApp, SecondArcgisApp
from apps.atlassian import AtlassianApp
from apps.atlassian_v2 import AtlassianV2App
from apps.files import FilesApp
from apps.jahia import JahiaApp
from apps.mendix import MendixApp

# Each class has a distinct URL ``prefix`` and ``name``; the server instantiates each once.
APPS = [ArcgisApp, SecondArcgisApp, AtlassianApp, AtlassianV2App, FilesApp, JahiaApp, MendixApp]
