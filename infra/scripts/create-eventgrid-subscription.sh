#!/usr/bin/env bash
# Creates (or updates) the Event Grid subscription that feeds the Event Grid blob trigger:
# BlobCreated events of the lab-exports container, from the storage account's system topic,
# to the app's blobs-extension webhook. Run it after the code is deployed: the webhook URL
# carries the blobs_extension system key, which exists only once the host has started with
# the blob trigger, and Event Grid validates the endpoint when the subscription is created.
#
# usage: infra/scripts/create-eventgrid-subscription.sh <resource-group> [deployment-name]
#   deployment-name: the `az deployment group create` deployment of infra/main.bicep
#   (default: main); the app, system topic and container names are read from its outputs.
#
# Needs: az CLI logged in with rights to read the app's keys and write Event Grid
# subscriptions on the resource group. The key is never printed.
set -euo pipefail

resource_group=${1:?usage: $0 <resource-group> [deployment-name]}
deployment=${2:-main}
function_name=IngestLabExport
subscription_name=lab-exports-blob-created

output() {
  az deployment group show -g "$resource_group" -n "$deployment" \
    --query "properties.outputs.$1.value" -o tsv
}

app=$(output functionAppName)
host=$(output functionAppHostName)
topic=$(output eventGridSystemTopicName)
container=$(output exportsContainerName)

key=$(az functionapp keys list -g "$resource_group" -n "$app" --query systemKeys.blobs_extension -o tsv)
if [ -z "$key" ]; then
  echo "error: $app has no blobs_extension system key yet: deploy the code and let the host start (open https://$host once), then run this again" >&2
  exit 1
fi

echo "subscribing $app/$function_name to BlobCreated in $container (system topic $topic)"
az eventgrid system-topic event-subscription create \
  -g "$resource_group" \
  --system-topic-name "$topic" \
  -n "$subscription_name" \
  --endpoint-type webhook \
  --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$container/" \
  --event-delivery-schema eventgridschema \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --query "{name: name, provisioningState: provisioningState}" -o table
