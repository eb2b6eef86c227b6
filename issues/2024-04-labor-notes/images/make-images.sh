#!/usr/bin/env bash
# make-images.sh - draw the sample issue's illustrations with ImageMagick.
#
# Every picture here is drawn from primitives (rectangles, polygons, circles,
# text set in Linux Biolinum from the project's fonts/ folder). Nothing is
# random, and -strip drops the timestamps ImageMagick would otherwise embed, so
# running the script twice gives byte-identical files.
#
#   cover.jpg             2625x3375 (8.5x11 in plus 0.125 in bleed a side, at 300 ppi), the cover
#   faculty-regalia.jpg   2400x1500, lead image: faculty in academic regalia
#   france-collage.jpg    2400x1500, lead image: silhouette over flag and clippings
#   seiu-march.jpg        2400x1500, lead image: purple-clad marchers in Washington
#   encampment.jpg        2400x1500, lead image: tents on a campus lawn
#   union-density.png     1500x1000, in-body chart (U.S. union membership rate)
#   asambleas-cgh.png     1500x1000, in-body diagram (assemblies and strike council)
#
# Usage: bash make-images.sh   (from anywhere; writes next to this script)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fonts=$(cd "$here/../../../fonts" && pwd)
BOLD="$fonts/LinBiolinum_RB.otf"
REG="$fonts/LinBiolinum_R.otf"
ITAL="$fonts/LinBiolinum_RI.otf"

if command -v magick >/dev/null 2>&1; then IM="magick"; else IM="convert"; fi

JPEG="-strip -interlace none -sampling-factor 4:2:0 -quality 85"
PNG="-strip -depth 8 -define png:exclude-chunks=date,time"

# ---------------------------------------------------------------- helpers
# All helpers print MVG (ImageMagick's drawing language) on stdout.

# flag X Y W H: a Palestinian flag with its top-left corner at X,Y.
flag() {
    x=$1 y=$2 w=$3 h=$4
    s=$((h / 3))
    echo "fill '#111111' rectangle $x,$y $((x + w)),$((y + s))"
    echo "fill '#f7f7f2' rectangle $x,$((y + s)) $((x + w)),$((y + 2 * s))"
    echo "fill '#13874b' rectangle $x,$((y + 2 * s)) $((x + w)),$((y + h))"
    echo "fill '#d7262e' polygon $x,$y $((x + w * 2 / 5)),$((y + h / 2)) $x,$((y + h))"
}

# person CX BASE SIZE COLOUR: a head-and-shoulders silhouette standing on BASE.
# SIZE is the head radius; the body is a rounded block under it.
person() {
    cx=$1 base=$2 r=$3 c=$4
    top=$((base - r * 9))
    echo "fill '$c' circle $cx,$top $((cx + r)),$top"
    echo "fill '$c' roundrectangle $((cx - r * 17 / 10)),$((top + r * 12 / 10)) $((cx + r * 17 / 10)),$((base + r * 3)) $((r * 8 / 10)),$((r * 8 / 10))"
}

# fist CX BASE SIZE COLOUR SIDE: a raised arm (SIDE -1 left, 1 right).
fist() {
    cx=$1 base=$2 r=$3 c=$4 side=$5
    top=$((base - r * 9))
    sx=$((cx + side * r * 12 / 10))
    sy=$((top + r * 18 / 10))
    ex=$((cx + side * r * 20 / 10))
    ey=$((top - r * 35 / 10))
    echo "stroke '$c' stroke-width $((r * 9 / 10)) stroke-linecap round line $sx,$sy $ex,$ey stroke none"
    echo "fill '$c' circle $ex,$((ey - r * 2 / 10)) $((ex + r * 7 / 10)),$((ey - r * 2 / 10))"
}

# placard CX BASE SIZE COLOUR FACE: a sign on a stick held above a person.
placard() {
    cx=$1 base=$2 r=$3 c=$4 face=$5
    top=$((base - r * 9))
    px=$((cx + r * 15 / 10))
    echo "stroke '$c' stroke-width $((r * 3 / 10)) line $px,$((top + r * 2)) $px,$((top - r * 4)) stroke none"
    echo "fill '$face' rectangle $((px - r * 28 / 10)),$((top - r * 7)) $((px + r * 28 / 10)),$((top - r * 35 / 10))"
}

# tent CX BASE W H COLOUR SHADE: a dome tent, its door in a darker shade.
tent() {
    cx=$1 base=$2 w=$3 h=$4 c=$5 d=$6
    echo "fill '$c' ellipse $cx,$base $((w / 2)),$h 180,360"
    echo "fill '$d' polygon $((cx - w / 7)),$base $cx,$((base - h * 7 / 10)) $((cx + w / 7)),$base"
    echo "stroke '#2a2a2a' stroke-width 4 fill none line $((cx - w / 2 + w / 10)),$((base - h / 2)) $((cx + w / 2 - w / 10)),$((base - h / 2)) stroke none"
}

# ------------------------------------------------------------------ cover
cover() {
    W=2550 H=3300
    mvg=""
    # sun and rays behind the crowd
    for a in 0 1 2 3 4 5 6 7 8 9 10 11; do
        # rays as thin triangles fanning from the sun's centre (1275,2050)
        x1=$((1275 + (a - 6) * 520)); x2=$((x1 + 200))
        mvg="$mvg fill 'rgba(255,236,200,0.10)' polygon 1275,2050 $x1,700 $x2,700"
    done
    mvg="$mvg fill '#f2dcb0' circle 1275,2050 1275,1300"
    mvg="$mvg fill 'none' stroke '#f2dcb0' stroke-width 18 circle 1275,2050 1275,1180 stroke none"
    # back row of the crowd, dark red
    i=0
    for cx in 60 260 470 660 880 1080 1290 1490 1700 1900 2110 2310 2510; do
        mvg="$mvg $(person $cx 2550 $((62 + (i * 7) % 13)) '#5a1118')"
        case $((i % 4)) in
            1) mvg="$mvg $(fist $cx 2550 62 '#5a1118' 1)" ;;
            3) mvg="$mvg $(placard $cx 2550 62 '#5a1118' '#e9d8c4')" ;;
        esac
        i=$((i + 1))
    done
    # a Palestinian flag and a purple union banner above the back row
    mvg="$mvg stroke '#3a0a0f' stroke-width 16 line 1790,2000 1790,1550 stroke none"
    mvg="$mvg $(flag 1790 1550 360 216)"
    mvg="$mvg stroke '#3a0a0f' stroke-width 16 line 420,2050 420,1700 line 980,2050 980,1700 stroke none"
    mvg="$mvg fill '#6b2d86' rectangle 420,1700 980,1880 fill '#f4c430' rectangle 420,1850 980,1880"
    # middle row
    i=0
    for cx in 150 400 640 900 1150 1400 1650 1900 2150 2400; do
        mvg="$mvg $(person $cx 2900 $((78 + (i * 5) % 11)) '#320a0e')"
        case $((i % 3)) in
            0) mvg="$mvg $(fist $cx 2900 78 '#320a0e' -1)" ;;
            2) mvg="$mvg $(placard $cx 2900 78 '#320a0e' '#f7efe2')" ;;
        esac
        i=$((i + 1))
    done
    # front row, near black, cut by the bottom edge
    i=0
    for cx in 0 330 660 990 1320 1650 1980 2310 2640; do
        mvg="$mvg $(person $cx 3330 $((98 + (i * 3) % 9)) '#14040a')"
        [ $((i % 4)) -eq 2 ] && mvg="$mvg $(fist $cx 3330 98 '#14040a' 1)"
        i=$((i + 1))
    done
    $IM -size ${W}x${H} gradient:'#d1212f-#5c0d17' -draw "$mvg" -resize 2625x3375^ -gravity center -extent 2625x3375 $JPEG "$here/cover.jpg"
}

# ------------------------------------------------------- faculty-regalia
faculty() {
    W=2400 H=1500
    mvg=""
    # limestone facade, pediment and columns
    mvg="$mvg fill '#d8d0bf' rectangle 0,260 2400,1040"
    mvg="$mvg fill '#cbc2ae' polygon 200,260 1200,40 2200,260"
    mvg="$mvg fill '#b9af99' rectangle 150,250 2250,290"
    for cx in 230 510 790 1070 1330 1610 1890 2170; do
        mvg="$mvg fill '#ebe5d7' rectangle $((cx - 55)),300 $((cx + 55)),1020"
        mvg="$mvg fill '#c4bba6' rectangle $((cx + 30)),300 $((cx + 55)),1020"
    done
    # steps
    y=1040; k=0
    while [ $y -lt $H ]; do
        if [ $((k % 2)) -eq 0 ]; then c='#c9c0ad'; else c='#bdb4a1'; fi
        mvg="$mvg fill '$c' rectangle 0,$y 2400,$((y + 46))"
        y=$((y + 46)); k=$((k + 1))
    done
    # five faculty members in gowns with hoods, caps and signs
    skins="#8d5524 #e0ac69 #5a3825 #f1c27d #c68642"
    i=0
    for cx in 290 740 1200 1660 2110; do
        skin=$(echo $skins | cut -d' ' -f$((i + 1)))
        base=$((1470 - (i % 2) * 30))
        sh=$((base - 760))
        mvg="$mvg fill '#151515' polygon $((cx - 150)),$sh $((cx + 150)),$sh $((cx + 235)),$base $((cx - 235)),$base"
        # bell sleeves with velvet bars
        mvg="$mvg fill '#151515' polygon $((cx - 150)),$sh $((cx - 250)),$((sh + 420)) $((cx - 150)),$((sh + 470))"
        mvg="$mvg fill '#151515' polygon $((cx + 150)),$sh $((cx + 250)),$((sh + 420)) $((cx + 150)),$((sh + 470))"
        for b in 120 190 260; do
            mvg="$mvg stroke '#3b3b3b' stroke-width 14 line $((cx - 160 - b / 5)),$((sh + b)) $((cx - 120 - b / 5)),$((sh + b + 25)) stroke none"
        done
        # hood lining in pale blue, V-shaped at the neck
        mvg="$mvg fill '#8ec5e8' polygon $((cx - 120)),$sh $((cx + 120)),$sh $cx,$((sh + 200))"
        mvg="$mvg fill '#151515' polygon $((cx - 60)),$sh $((cx + 60)),$sh $cx,$((sh + 110))"
        # head and mortarboard
        mvg="$mvg fill '$skin' circle $cx,$((sh - 95)) $((cx + 82)),$((sh - 95))"
        mvg="$mvg fill '#111111' rectangle $((cx - 80)),$((sh - 190)) $((cx + 80)),$((sh - 140))"
        mvg="$mvg fill '#111111' polygon $((cx - 150)),$((sh - 190)) $cx,$((sh - 240)) $((cx + 150)),$((sh - 190)) $cx,$((sh - 150))"
        mvg="$mvg stroke '#d4a017' stroke-width 6 line $cx,$((sh - 195)) $((cx + 120)),$((sh - 170)) line $((cx + 120)),$((sh - 170)) $((cx + 125)),$((sh - 90)) stroke none"
        # the sign, held at chest height
        mvg="$mvg fill '#fbfaf5' stroke '#222222' stroke-width 5 rectangle $((cx - 205)),$((sh + 90)) $((cx + 205)),$((sh + 400)) stroke none"
        mvg="$mvg fill '$skin' circle $((cx - 190)),$((sh + 380)) $((cx - 160)),$((sh + 380))"
        mvg="$mvg fill '$skin' circle $((cx + 190)),$((sh + 380)) $((cx + 220)),$((sh + 380))"
        i=$((i + 1))
    done
    signs=()
    i=0
    for cx in 290 740 1200 1660 2110; do
        base=$((1470 - (i % 2) * 30))
        sy=$((base - 760 + 245 - H / 2))
        signs+=(-annotate "$(printf '%+d%+d' $((cx - W / 2)) $sy)" 'END STUDENT\nSUSPENSIONS\nNOW')
        i=$((i + 1))
    done
    $IM -size ${W}x${H} gradient:'#bcd6ea-#eef3f7' -draw "$mvg" \
        -font "$BOLD" -pointsize 54 -interline-spacing -4 -fill '#b3121f' -gravity center \
        "${signs[@]}" $JPEG "$here/faculty-regalia.jpg"
}

# ------------------------------------------------------- france-collage
france() {
    W=2400 H=1500
    mvg="$(flag 0 0 2400 1500)"
    # press clippings scattered over the flag, each turned a little
    k=0
    for spec in "330,260,-8" "1900,220,6" "520,1180,5" "2040,1130,-5" "1150,180,3" "980,1290,-3" "200,720,4" "2230,680,-7"; do
        x=${spec%%,*}; rest=${spec#*,}; y=${rest%%,*}; a=${rest#*,}
        w=$((460 + (k * 53) % 120)); h=$((300 + (k * 31) % 90))
        g="push graphic-context translate $x,$y rotate $a"
        g="$g fill 'rgba(0,0,0,0.25)' rectangle $((-w / 2 + 12)),$((-h / 2 + 14)) $((w / 2 + 12)),$((h / 2 + 14))"
        g="$g fill '#f3eedf' rectangle $((-w / 2)),$((-h / 2)) $((w / 2)),$((h / 2))"
        g="$g fill '#262626' rectangle $((-w / 2 + 30)),$((-h / 2 + 30)) $((w / 2 - 30 - (k * 40) % 120)),$((-h / 2 + 72))"
        ly=$((-h / 2 + 100))
        while [ $ly -lt $((h / 2 - 30)) ]; do
            g="$g fill '#a29d90' rectangle $((-w / 2 + 30)),$ly $((w / 2 - 30 - (ly * 7) % 60)),$((ly + 10))"
            ly=$((ly + 24))
        done
        g="$g pop graphic-context"
        mvg="$mvg $g"
        k=$((k + 1))
    done
    # a generic suited silhouette in the middle, slightly translucent
    s="fill 'rgba(22,32,64,0.88)'"
    mvg="$mvg $s circle 1250,560 1250,370"
    mvg="$mvg $s path 'M 820,1500 C 830,1000 960,880 1120,850 L 1380,850 C 1540,880 1670,1000 1680,1500 Z'"
    mvg="$mvg fill 'rgba(240,240,240,0.9)' polygon 1190,850 1310,850 1250,1010"
    mvg="$mvg fill 'rgba(30,44,110,0.95)' polygon 1235,870 1265,870 1285,1180 1250,1230 1215,1180"
    $IM -size ${W}x${H} xc:'#f7f7f2' -draw "$mvg" $JPEG "$here/france-collage.jpg"
}

# ----------------------------------------------------------- seiu-march
march() {
    W=2400 H=1500
    mvg=""
    # the Capitol, pale in the distance
    cap="fill '#b9c3cd'"
    mvg="$mvg $cap rectangle 560,560 1840,720"
    mvg="$mvg $cap rectangle 1010,400 1390,560"
    mvg="$mvg $cap ellipse 1200,400 180,210 180,360"
    mvg="$mvg $cap rectangle 1180,150 1220,200 circle 1200,140 1200,124"
    for cx in 620 700 780 860 940 1460 1540 1620 1700 1780 1050 1130 1270 1350; do
        if [ $cx -gt 1000 ] && [ $cx -lt 1400 ]; then
            mvg="$mvg fill '#a7b1bc' rectangle $((cx - 12)),420 $((cx + 12)),560"
        else
            mvg="$mvg fill '#a7b1bc' rectangle $((cx - 14)),590 $((cx + 14)),720"
        fi
    done
    # trees on both sides
    for t in "150,620,230" "420,660,170" "2000,650,190" "2260,610,240"; do
        tx=${t%%,*}; r=${t##*,}; ty=${t#*,}; ty=${ty%%,*}
        mvg="$mvg fill '#4f7a46' ellipse $tx,$ty $r,$((r * 8 / 10)) 0,360"
        mvg="$mvg fill '#3e2f22' rectangle $((tx - 18)),$ty $((tx + 18)),760"
    done
    # avenue in perspective
    mvg="$mvg fill '#7a7c80' rectangle 0,720 2400,1500"
    mvg="$mvg fill '#f0f0f0' polygon 1190,720 1210,720 1260,1500 1140,1500"
    # marchers in purple, three rows
    purples="#4b1f6f #6a2e91 #5a2680 #7b3fa3 #532377"
    i=0
    for cx in 180 380 560 760 960 1160 1360 1560 1760 1960 2160; do
        c=$(echo $purples | cut -d' ' -f$((i % 5 + 1)))
        mvg="$mvg $(person $cx 1050 40 "$c")"
        [ $((i % 4)) -eq 1 ] && mvg="$mvg $(fist $cx 1050 40 "$c" 1)"
        i=$((i + 1))
    done
    # flags held up between the rows
    mvg="$mvg stroke '#2d2d2d' stroke-width 10 line 520,1050 520,640 line 1820,1050 1820,620 stroke none"
    mvg="$mvg $(flag 520 640 260 156) $(flag 1820 620 260 156)"
    i=0
    for cx in 80 300 530 760 990 1220 1450 1680 1910 2140 2360; do
        c=$(echo $purples | cut -d' ' -f$(((i + 2) % 5 + 1)))
        mvg="$mvg $(person $cx 1260 58 "$c")"
        [ $((i % 3)) -eq 2 ] && mvg="$mvg $(placard $cx 1260 58 '#2d2d2d' '#fbf6e9')"
        i=$((i + 1))
    done
    # the front banner, carried by the first row
    mvg="$mvg fill '#5b2383' rectangle 420,1130 1980,1390"
    mvg="$mvg fill '#f4c430' rectangle 420,1130 1980,1160 rectangle 420,1360 1980,1390"
    for cx in 260 2140; do
        mvg="$mvg $(person $cx 1560 80 '#3d1559')"
    done
    $IM -size ${W}x${H} gradient:'#a9cdea-#eef4f9' -draw "$mvg" \
        -font "$BOLD" -fill '#ffffff' -gravity center -pointsize 150 -annotate +0+515 'SEIU LOCAL 500' \
        -pointsize 52 -fill '#222222' -interline-spacing -4 \
        -annotate -583-317 'CEASEFIRE\nNOW' -annotate +107-317 'CEASEFIRE\nNOW' -annotate +797-317 'CEASEFIRE\nNOW' \
        $JPEG "$here/seiu-march.jpg"
}

# ----------------------------------------------------------- encampment
encampment() {
    W=2400 H=1500
    mvg=""
    # domed library in silhouette against an evening sky
    mvg="$mvg fill '#3b3550' ellipse 1200,360 300,220 180,360"
    mvg="$mvg fill '#3b3550' rectangle 250,340 2150,700"
    mvg="$mvg fill '#4a4463' polygon 700,340 1200,200 1700,340"
    for cx in 780 900 1020 1140 1260 1380 1500 1620; do
        mvg="$mvg fill '#5a5475' rectangle $((cx - 22)),380 $((cx + 22)),680"
    done
    for wx in 350 470 1870 1990; do
        mvg="$mvg fill '#f2c879' rectangle $wx,430 $((wx + 50)),520 rectangle $wx,570 $((wx + 50)),660"
    done
    # lawn
    mvg="$mvg fill '#567f3c' rectangle 0,700 2400,1500"
    mvg="$mvg fill '#628e46' rectangle 0,1000 2400,1500"
    # back row of tents
    k=0
    for cx in 140 420 700 980 1260 1540 1820 2100 2330; do
        set -- '#2e7d32 #1b5e20' '#1e5aa8 #123c72' '#e76f51 #a74530' '#e9c46a #b08f3f' '#8d99ae #5d677a' '#c62828 #8e1b1b'
        pair=$(eval echo "\${$((k % 6 + 1))}")
        mvg="$mvg $(tent $cx 840 240 150 ${pair% *} ${pair#* })"
        k=$((k + 1))
    done
    # front row, larger
    k=0
    for cx in 120 520 1700 2180; do
        set -- '#1e5aa8 #123c72' '#e9c46a #b08f3f' '#2e7d32 #1b5e20' '#e76f51 #a74530'
        pair=$(eval echo "\${$((k % 4 + 1))}")
        mvg="$mvg $(tent $cx 1400 440 270 ${pair% *} ${pair#* })"
        k=$((k + 1))
    done
    # poles, banners and flags
    mvg="$mvg stroke '#2b2b2b' stroke-width 12 line 760,1420 760,880 line 1640,1420 1640,880 stroke none"
    mvg="$mvg fill '#fbf7ec' stroke '#2b2b2b' stroke-width 4 rectangle 760,900 1640,1080 stroke none"
    mvg="$mvg stroke '#2b2b2b' stroke-width 10 line 830,880 830,560 line 1570,880 1570,560 stroke none"
    mvg="$mvg fill '#fbf7ec' stroke '#2b2b2b' stroke-width 4 rectangle 830,580 1570,700 stroke none"
    mvg="$mvg stroke '#2b2b2b' stroke-width 10 line 330,1140 330,760 line 2030,1140 2030,760 stroke none"
    mvg="$mvg $(flag 330 760 230 138) $(flag 2030 760 230 138)"
    $IM -size ${W}x${H} gradient:'#2e3f6e-#f0a05a' -draw "$mvg" \
        -font "$BOLD" -gravity center \
        -fill '#b3121f' -pointsize 68 -annotate +0-110 'LIBERATED ZONE' \
        -fill '#1f1f1f' -pointsize 70 -annotate +0+240 'GAZA SOLIDARITY\nENCAMPMENT' \
        $JPEG "$here/encampment.jpg"
}

# -------------------------------------------------------- union-density
# U.S. union membership rate, wage and salary workers, per cent
# (Bureau of Labor Statistics, Current Population Survey annual averages).
chart() {
    W=1500 H=1000
    x0=190 x1=1440 y0=840 ppp=26    # plot box; pixels per percentage point
    mvg="stroke '#d9d9d9' stroke-width 2"
    for p in 5 10 15 20 25; do
        y=$((y0 - p * ppp))
        mvg="$mvg line $x0,$y $x1,$y"
    done
    mvg="$mvg stroke '#333333' stroke-width 3 line $x0,$y0 $x1,$y0 stroke none"
    args=()
    i=0
    for pair in 1983:201 1993:158 2003:129 2013:113 2023:100; do
        yr=${pair%%:*}; v=${pair##*:}
        slot=$(((x1 - x0) / 5))
        cx=$((x0 + slot / 2 + i * slot))
        top=$((y0 - v * ppp / 10))
        mvg="$mvg fill '#c8102e' rectangle $((cx - 85)),$top $((cx + 85)),$((y0 - 2))"
        args+=(-annotate "+$((cx - 50))+$((top - 55))" "$((v / 10)).$((v % 10))%")
        args+=(-annotate "+$((cx - 48))+$((y0 + 18))" "$yr")
        i=$((i + 1))
    done
    ticks=()
    for p in 0 5 10 15 20 25; do
        ticks+=(-annotate "+$((x0 - 70))+$((y0 - p * ppp - 20))" "$p")
    done
    $IM -size ${W}x${H} xc:white -draw "$mvg" -gravity NorthWest \
        -font "$BOLD" -fill '#111111' -pointsize 44 -annotate +60+40 'Union membership rate, United States, 1983–2023' \
        -font "$REG" -fill '#444444' -pointsize 30 -annotate +60+100 'Share of wage and salary workers who belong to a union, per cent' \
        -font "$BOLD" -fill '#222222' -pointsize 36 "${args[@]}" \
        -font "$REG" -fill '#555555' -pointsize 30 "${ticks[@]}" \
        -font "$ITAL" -fill '#666666' -pointsize 26 -annotate +60+935 'Source: U.S. Bureau of Labor Statistics, Current Population Survey' \
        $PNG "$here/union-density.png"
}

# -------------------------------------------------------- asambleas-cgh
diagram() {
    W=1500 H=1000
    mvg=""
    # the strike council
    mvg="$mvg fill '#c8102e' roundrectangle 380,80 1120,240 24,24"
    # the bus that gathers the delegates
    mvg="$mvg stroke '#333333' stroke-width 8 line 175,490 1325,490 line 750,490 750,270 stroke none"
    mvg="$mvg fill '#333333' polygon 722,275 778,275 750,245"
    args=()
    i=0
    for name in 'Filosofía\ny Letras' 'Ciencias' 'Economía' 'Ingeniería' 'CCH y\nPreparatorias'; do
        cx=$((175 + i * 287))
        mvg="$mvg stroke '#333333' stroke-width 8 line $cx,690 $cx,520 stroke none"
        mvg="$mvg fill '#333333' polygon $((cx - 20)),526 $((cx + 20)),526 $cx,496"
        mvg="$mvg fill '#f4efe6' stroke '#333333' stroke-width 4 roundrectangle $((cx - 128)),690 $((cx + 128)),870 18,18 stroke none"
        args+=(-annotate "$(printf '%+d%+d' $((cx - W / 2)) $((745 - H / 2)))" 'Asamblea')
        args+=(-annotate "$(printf '%+d%+d' $((cx - W / 2)) $((810 - H / 2)))" "$name")
        i=$((i + 1))
    done
    $IM -size ${W}x${H} xc:white -draw "$mvg" -gravity center \
        -font "$BOLD" -fill '#ffffff' -pointsize 46 -annotate +0-338 'Consejo General de Huelga' \
        -font "$REG" -pointsize 30 -annotate +0-290 'sesiona en una escuela distinta cada vez' \
        -font "$BOLD" -fill '#222222' -pointsize 30 "${args[@]}" \
        -font "$ITAL" -fill '#333333' -pointsize 32 -annotate +215-130 'delegados elegidos,\ncon mandato y revocables' \
        -font "$ITAL" -fill '#555555' -pointsize 30 -annotate +0+430 'Cada escuela en huelga decide en su asamblea; los acuerdos vuelven a ella.' \
        $PNG "$here/asambleas-cgh.png"
}

cover
faculty
france
march
encampment
chart
diagram
echo "images written to $here"
