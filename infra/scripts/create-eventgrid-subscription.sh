#!/usr/bin/env bash
# Creates (or updates) the Event Grid subscription that feeds the Event Grid blob trigger:
# BlobCreated events of the lab-exports container, from the storage account's system topic,
# to the app's blobs-extension webhook, with 30 delivery attempts over 24 hours and then the
# dead-letter container lab-exports-deadletter (written with the system topic's identity).
# Run it after the code is deployed: the webhook URL carries the blobs_extension system key,
# which exists only once the host has started with the blob trigger, and Event Grid validates
# the endpoint when the subscription is created.
#
# It deploys infra/modules/eventgrid-subscription.bicep, the module main.bicep deploys when
# given eventGridSubscriptionEndpoint, so both ways make the same subscription. The endpoint
# goes in as a secure parameter (not kept in the deployment's history).
#
# usage: infra/scripts/create-eventgrid-subscription.sh <resource-group> [deployment-name]
#   deployment-name: the `az deployment group create` deployment of infra/main.bicep
#   (default: main); the app, system topic, storage account and container names are read
#   from its outputs.
#
# Needs: az CLI logged in with rights to read the app's keys and deploy Event Grid
# subscriptions on the resource group. The key is never printed.
set -euo pipefail

resource_group=${1:?usage: $0 <resource-group> [deployment-name]}
deployment=${2:-main}
function_name=IngestLabExport
module="$(cd "$(dirname "$0")/.." && pwd)/modules/eventgrid-subscription.bicep"

output() {
  az deployment group show -g "$resource_group" -n "$deployment" \
    --query "properties.outputs.$1.value" -o tsv
}

app=$(output functionAppName)
host=$(output functionAppHostName)
topic=$(output eventGridSystemTopicName)
account=$(output storageAccountId)
container=$(output exportsContainerName)
dead_letters=$(output deadLetterContainerName)

key=$(az functionapp keys list -g "$resource_group" -n "$app" --query systemKeys.blobs_extension -o tsv)
if [ -z "$key" ]; then
  echo "error: $app has no blobs_extension system key yet: deploy the code and let the host start (open https://$host once), then run this again" >&2
  exit 1
fi

# The parameters file keeps the key off the command line (and out of `ps`); removed on exit.
parameters=$(mktemp)
trap 'rm -f "$parameters"' EXIT
chmod 600 "$parameters"
endpoint="https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$key"
cat >"$parameters" <<JSON
{
  "\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "systemTopicName": { "value": "$topic" },
    "storageAccountId": { "value": "$account" },
    "exportsContainerName": { "value": "$container" },
    "deadLetterContainerName": { "value": "$dead_letters" },
    "endpoint": { "value": "$endpoint" }
  }
}
JSON

echo "subscribing $app/$function_name to BlobCreated in $container (system topic $topic), dead letters to $dead_letters"
az deployment group create \
  -g "$resource_group" \
  -n eventgrid-subscription \
  -f "$module" \
  -p "@$parameters" \
  --query "{name: name, provisioningState: properties.provisioningState}" -o table
