"""The emulator's built-in organizations and credentials, for the scripts and tests that drive it.

Taken from the app models, so a change there reaches every caller.
"""

from apps import arcgis_model, atlassian_model, atlassian_v2_model, jahia_model, mendix_model

ARCGIS_USERNAME, ARCGIS_PASSWORD = next(iter(arcgis_model.DEFAULT_USERS.items()))
JAHIA_ORGANIZATION = jahia_model.DEFAULT_ORG['name']
JAHIA_API_TOKEN = jahia_model.DEFAULT_TOKEN
MENDIX_USERNAME, MENDIX_API_KEY = next(iter(mendix_model.DEFAULT_USERS.items()))
ATLASSIAN_ORG_ID = atlassian_model.DEFAULT_ORG
ATLASSIAN_USER, ATLASSIAN_API_TOKEN = next((u, v['api_token']) for u, v in atlassian_model.DEFAULT_USERS.items() if v['admin'])
ATLASSIAN_VIEWER_USER, ATLASSIAN_VIEWER_TOKEN = next(
    (u, v['api_token']) for u, v in atlassian_model.DEFAULT_USERS.items() if not v['admin'])
ATLASSIAN_ACCOUNT_ID = atlassian_v2_model.DEFAULT_ACCOUNT_ID
