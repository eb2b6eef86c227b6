# bash completion for pressrun(1): commands, options, formats, layouts,
# issue folders. Installed by `cmake --install` into
# share/bash-completion/completions/pressrun.
_pressrun()
{
    local cur prev words cword
    _init_completion || return
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build check watch proof new import --help --version" -- "$cur"))
        return
    fi
    case $prev in
        --format)
            local f="pdf print epub articles png" pre=""
            [[ $cur == *,* ]] && pre=${cur%,*},
            COMPREPLY=($(compgen -P "$pre" -W "$f" -- "${cur##*,}"))
            return ;;
        --layout)
            COMPREPLY=($(compgen -W "magazine digest ereader" -- "$cur") $(compgen -f -X '!*.yaml' -- "$cur"))
            return ;;
        -o|--out|--from|--to)
            _filedir -d
            return ;;
        --dpi)
            COMPREPLY=($(compgen -W "72 96 150 300" -- "$cur"))
            return ;;
        -j|--jobs)
            COMPREPLY=($(compgen -W "1 2 4" -- "$cur"))
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-o --out --format --layout --stats --stats=json --dump=doc --dump=layout
            --timings --quiet --no-marks --dpi --jobs --allow-outside --strict --from --to --help" -- "$cur"))
        return
    fi
    if [ "${words[1]}" = import ]; then
        _filedir '@(docx|odt)'
        return
    fi
    _filedir '@(yaml|yml)'
    _filedir -d
}
complete -F _pressrun pressrun
