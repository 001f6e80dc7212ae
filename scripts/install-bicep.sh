#!/usr/bin/env bash
# Installs the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64) into tools/ and
# prints the binary's path on stdout. NuGet is the only network it uses: a throwaway
# project with a <PackageDownload> is restored into tools/nuget. Skips when present.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

package=Azure.Bicep.CommandLine.linux-x64
version=${BICEP_VERSION:-0.49.2}
packages="$root/tools/nuget"
bicep="$packages/$(echo "$package" | tr '[:upper:]' '[:lower:]')/$version/tools/bicep"

if [ ! -f "$bicep" ]; then
  # Outside the repository, so Directory.Build.props and central package management
  # do not apply to the throwaway project.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cat >"$work/bicep-download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$version]" />
  </ItemGroup>
</Project>
EOF
  echo "installing $package $version from NuGet into $packages" >&2
  if ! dotnet restore "$work/bicep-download.csproj" --packages "$packages" -v quiet >&2; then
    echo "error: could not restore $package $version from NuGet" >&2
    exit 1
  fi
  if [ ! -f "$bicep" ]; then
    echo "error: $package $version restored, but $bicep is missing" >&2
    exit 1
  fi
fi

[ -x "$bicep" ] || chmod +x "$bicep"
echo "$bicep"
