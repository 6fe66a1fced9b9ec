# One entry point on Windows (PowerShell 7+): set-up on first use, then pipeline commands.
#   ./run.ps1 test          runs every test and ends with "N passed, N failed"
#   ./run.ps1 <args>        runs `pipeline <args>`
$ErrorActionPreference = 'Stop'
# Relative paths in the arguments (--vault, --config, --strategy, ...) are the caller's: set-up and build
# run in the checkout, the pipeline itself runs in the directory run.ps1 was called from.
$Caller = (Get-Location).Path
Set-Location $PSScriptRoot

$Tools = Join-Path $PSScriptRoot '.tools'
$BuildStamp = Join-Path $Tools 'build.stamp'
$Config = 'Release'
$PipelineDll = Join-Path $PSScriptRoot "jobs/bin/$Config/net10.0/pipeline.dll"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

function Fail($message) { [Console]::Error.WriteLine("run.ps1: $message"); Set-Location $Caller; exit 1 }

function Test-Sdk {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'the .NET 10 SDK is missing. Install it from https://dot.net, then run ./run.ps1 again.' }
    $major = [int]((dotnet --version).Split('.')[0])
    if ($major -lt 10) { Fail "the .NET SDK found is $(dotnet --version); Pipeline needs .NET 10 (see global.json)." }
}

function Test-SourcesChanged {
    if (-not (Test-Path $BuildStamp) -or -not (Test-Path $PipelineDll)) { return $true }
    $stamp = (Get-Item $BuildStamp).LastWriteTimeUtc
    $dirs = 'vault', 'exporter', 'calculators', 'jobs', 'tests'
    $newer = Get-ChildItem -Recurse -File -Path $dirs -Include *.cs, *.csproj, *.json, *.yaml |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $stamp } | Select-Object -First 1
    $props = Get-ChildItem -File Directory.Build.props, Directory.Build.targets, Directory.Packages.props, BannedSymbols.txt, global.json, Pipeline.sln |
        Where-Object { $_.LastWriteTimeUtc -gt $stamp } | Select-Object -First 1
    return [bool]($newer -or $props)
}

function Invoke-Build {
    if (Test-SourcesChanged) {
        [Console]::Error.WriteLine("run.ps1: building ($Config) ...")
        dotnet build Pipeline.sln -c $Config -nologo -v:q | Out-Host
        if ($LASTEXITCODE -ne 0) { Fail 'build failed' }
        New-Item -ItemType File -Force -Path $BuildStamp | Out-Null
    }
}

function Initialize-Pipeline {
    Test-Sdk
    Invoke-Build
}

function Invoke-Tests([string[]] $extra) {
    $results = Join-Path $Tools 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    New-Item -ItemType Directory -Path $results | Out-Null
    $status = 0
    $projects = Get-ChildItem tests/*/*.Tests.csproj
    foreach ($proj in $projects) {
        dotnet test $proj.FullName -c $Config --no-build -nologo --logger "trx;LogFileName=$($proj.BaseName).trx" --results-directory $results @extra | Out-Host
        if ($LASTEXITCODE -ne 0) { $status = $LASTEXITCODE }
    }
    $passed = 0; $failed = 0; $skipped = 0; $files = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx) {
        $files++
        $c = ([xml](Get-Content $trx.FullName)).TestRun.ResultSummary.Counters
        # The counters leave xUnit's skipped tests out of "executed" and "notExecuted" alike; the results mark them NotExecuted.
        $nx = ([regex]::Matches((Get-Content -Raw $trx.FullName), 'outcome="NotExecuted"')).Count
        $passed += [int]$c.passed; $failed += [int]$c.failed; $skipped += $nx
        $missing = [int]$c.total - [int]$c.executed - $nx
        if ($missing -gt 0) { $failed += $missing }
    }
    if ($status -ne 0 -and $failed -eq 0) { $failed = 1 }
    if ($files -lt $projects.Count -and $failed -eq 0) { $failed = 1 }
    ''
    if ($skipped -gt 0) { "$passed passed, $failed failed, $skipped skipped" } else { "$passed passed, $failed failed" }
    if ($failed -gt 0) { exit 1 }
}

try {
    Initialize-Pipeline
    if ($args.Count -gt 0 -and $args[0] -eq 'test') {
        Invoke-Tests ($args | Select-Object -Skip 1)
    } elseif ($args.Count -gt 0 -and $args[0] -eq 'setup') {
        dotnet $PipelineDll doctor
    } else {
        Set-Location $Caller
        dotnet $PipelineDll @args
        exit $LASTEXITCODE
    }
} finally {
    # A script's Set-Location outlives it in the caller's session: always leave the caller where they were.
    Set-Location $Caller
}
