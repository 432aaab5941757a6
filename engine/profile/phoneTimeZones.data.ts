/*
 * Where in the world a phone number is, as an IANA zone: the data behind `timeZoneOfPhone`.
 *
 * The rule for every entry: a calling code or prefix names a zone only when practically all the
 * numbers under it are in that zone. A small outlying pocket (a few percent at most: Fernando de
 * Noronha in Brazil's 81, the Chatham Islands in New Zealand, Lloydminster in Saskatchewan) does not
 * stop it; a real split does (Perth and Adelaide in Australia's 08, the Canary Islands for Spanish
 * mobiles, the Florida panhandle's 850). Where the number does not tell, the answer is null: no zone
 * is better than a wrong one, because the caller then falls back to the workspace default.
 *
 * Zones must exist in the ICU of every Node the engine runs on (>= 20.19, tzdata 2025a), or
 * `safeTimeZone` turns them into UTC; test/phoneTimeZone.test.ts checks them all.
 */

/**
 * Zones by prefix of the national number (what follows the calling code). The longest matching
 * prefix wins; '' covers the rest of the country; null marks a prefix that spans zones.
 */
export type PrefixZones = Readonly<Record<string, string | null>>;

/** One zone for every number under a calling code, or zones by national prefix. */
export type CallingCodeZones = string | PrefixZones;

/** Maps each prefix to the zone it is listed under (prefixes separated by whitespace). */
function byZone(lists: Readonly<Record<string, string>>): Record<string, string> {
  const zones: Record<string, string> = {};
  for (const [zone, prefixes] of Object.entries(lists)) {
    for (const prefix of prefixes.split(/\s+/).filter(Boolean)) zones[prefix] = zone;
  }
  return zones;
}

/*
 * NANP (+1) area codes. Mobile numbers are assigned by rate centre, so the area code is as telling
 * for a mobile as for a landline. Overlays share their parent's zone.
 */
const NANP_AREA_CODES = byZone({
  // Northeast, Mid-Atlantic, Southeast, Ohio valley and the Eastern parts of Indiana and Michigan.
  'America/New_York': `
    201 202 203 207 212 215 216 220 223 229 231 234 239 240 248 252
    260 267 269 272 276 283 301 302 304 305 313 315 317 321 324 326
    329 330 332 336 339 347 351 352 363 380 386 401 404 407 410 412
    413 419 434 436 440 443 445 463 470 472 475 478 484 502 508 513
    516 517 518 540 551 561 567 570 571 574 582 585 586 603 606 607
    609 610 614 616 617 631 640 645 646 656 667 678 679 680 681 686
    689 703 704 706 716 717 718 724 727 728 732 734 740 743 754 757
    762 765 770 771 772 774 781 786 802 803 804 810 813 814 826 828
    835 838 839 843 845 848 854 856 857 859 860 862 863 864 865 878
    904 908 910 912 914 917 919 929 934 937 941 943 947 948 954 959
    973 978 980 984 989
  `,
  // Midwest, the South from Alabama west, and Texas except El Paso. 219 is NW Indiana (Central).
  'America/Chicago': `
    205 210 214 217 218 219 224 225 228 251 254 256 262 274 281 309
    312 314 316 318 319 320 325 327 331 334 337 346 353 361 402 405
    409 414 417 430 432 447 464 469 479 501 504 507 512 515 531 534
    539 557 563 572 573 580 601 608 612 615 618 620 629 630 636 641
    651 659 660 662 682 708 712 713 715 726 730 731 737 763 769 773
    779 785 806 815 816 817 830 832 847 861 870 872 901 903 913 918
    920 931 936 938 940 945 952 956 972 979 985
  `,
  'America/Denver': '303 307 385 406 435 505 575 719 720 801 915 970 983',
  // Arizona keeps standard time all year; 928 is left out below (the Navajo Nation keeps DST).
  'America/Phoenix': '480 520 602 623',
  'America/Los_Angeles': `
    206 209 213 253 279 310 323 341 350 360 369 408 415 424 425 442
    458 503 509 510 530 541 559 562 564 619 626 628 650 657 661 669
    702 707 714 725 747 760 775 805 818 820 831 840 858 909 916 925
    949 951 971
  `,
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  // Canada: Ontario east of Thunder Bay, and Quebec (tzdb keeps Quebec under America/Toronto).
  'America/Toronto': `
    226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514
    519 548 579 581 613 647 683 705 742 753 819 873 905 942
  `,
  'America/Winnipeg': '204 431 584',
  // Saskatchewan keeps standard time all year.
  'America/Regina': '306 474 639',
  'America/Edmonton': '368 403 587 780 825',
  // BC-wide overlays; 250 alone is left out below (its share of Mountain-time BC is too large).
  'America/Vancouver': '236 604 672 778',
  'America/Moncton': '428 506',
  'America/Halifax': '782 902',
  'America/St_Johns': '709 879',
  // The Caribbean and Pacific members of the NANP.
  'America/Nassau': '242',
  'America/Barbados': '246',
  'America/Anguilla': '264',
  'America/Antigua': '268',
  'America/Tortola': '284',
  'America/St_Thomas': '340',
  'America/Cayman': '345',
  'Atlantic/Bermuda': '441',
  'America/Grenada': '473',
  'America/Grand_Turk': '649',
  'America/Jamaica': '658 876',
  'America/Montserrat': '664',
  'Pacific/Saipan': '670',
  'Pacific/Guam': '671',
  'Pacific/Pago_Pago': '684',
  'America/Lower_Princes': '721',
  'America/St_Lucia': '758',
  'America/Dominica': '767',
  'America/St_Vincent': '784',
  'America/Puerto_Rico': '787 939',
  'America/Santo_Domingo': '809 829 849',
  'America/Port_of_Spain': '868',
  'America/St_Kitts': '869',
});

/** Area codes split between zones by a large share of their numbers, and why. */
const NANP_SPLIT_AREA_CODES: Readonly<Record<string, string>> = {
  '208': 'Idaho: the panhandle is Pacific, the south Mountain',
  '986': 'Idaho (overlay of 208)',
  '250': 'British Columbia outside Vancouver: the Kootenays and the Peace River keep Mountain time',
  '270': 'western Kentucky: Eastern and Central',
  '364': 'western Kentucky (overlay of 270)',
  '308': 'western Nebraska: the panhandle is Mountain',
  '423': 'East Tennessee: a few Central counties round Chattanooga',
  '729': 'East Tennessee (overlay of 423)',
  '850': 'Florida panhandle: Central west of the Apalachicola',
  '448': 'Florida panhandle (overlay of 850)',
  '605': 'South Dakota: West River is Mountain',
  '701': 'North Dakota: the southwest is Mountain',
  '807': 'northwestern Ontario: Kenora is Central, Thunder Bay Eastern',
  '812': 'southern Indiana: Evansville is Central',
  '930': 'southern Indiana (overlay of 812)',
  '867': 'Yukon, Northwest Territories and Nunavut',
  '906': 'Michigan’s Upper Peninsula: four Central counties',
  '928': 'northern Arizona: the Navajo Nation keeps daylight saving, the rest does not',
};

/** Exchanges that a zone's main area code does not cover: Labrador's towns within 709. */
const NANP_EXCHANGES: PrefixZones = {
  '709282': 'America/Goose_Bay',
  '709896': 'America/Goose_Bay',
  '709944': 'America/Goose_Bay',
};

const NANP: PrefixZones = {
  ...NANP_AREA_CODES,
  ...Object.fromEntries(Object.keys(NANP_SPLIT_AREA_CODES).map((code) => [code, null])),
  ...NANP_EXCHANGES,
};

/*
 * Countries with more than one zone, where the national prefix tells them apart. Mobile ranges that
 * do not encode a region are absent (no answer) unless the country is one zone for mobiles too.
 */

/** Australia: 02 NSW/ACT, 03 Victoria/Tasmania, 07 Queensland; 08 spans SA, NT and WA; 04 is mobile. */
const AUSTRALIA: PrefixZones = {
  '2': 'Australia/Sydney',
  '3': 'Australia/Melbourne',
  '7': 'Australia/Brisbane',
  '8': null,
};

/** Brazil: the two-digit DDD area code, kept by mobiles too. Western Amazonas (97) spans two zones. */
const BRAZIL: PrefixZones = {
  ...byZone({
    'America/Sao_Paulo': `
      11 12 13 14 15 16 17 18 19 21 22 24 27 28 31 32 33 34 35 37 38 41 42 43 44 45 46 47 48 49
      51 53 54 55 61 62 64
    `,
    'America/Araguaina': '63',
    'America/Cuiaba': '65 66',
    'America/Campo_Grande': '67',
    'America/Rio_Branco': '68',
    'America/Porto_Velho': '69',
    'America/Bahia': '71 73 74 75 77',
    'America/Maceio': '79 82',
    'America/Recife': '81 87',
    'America/Fortaleza': '83 84 85 86 88 89 98 99',
    'America/Belem': '91 94 96',
    'America/Santarem': '93',
    'America/Manaus': '92',
    'America/Boa_Vista': '95',
  }),
  '97': null,
};

/**
 * Mexico: area codes, kept by mobiles too. Listed are the main cities whose zone is certain; other
 * codes give no answer rather than a guess at the northwest's and the border's many rules.
 */
const MEXICO: PrefixZones = byZone({
  'America/Mexico_City': `
    33 55 56 222 228 229 246 312 314 442 443 444 449 461 477 492
    618 722 744 771 777 833 834 844 871 951 961 981 993
  `,
  'America/Monterrey': '81',
  'America/Merida': '999',
  'America/Chihuahua': '614',
  'America/Cancun': '983 984 987 998',
  // Border towns that follow US daylight saving.
  'America/Matamoros': '867 868 877 878 899',
  'America/Ciudad_Juarez': '656',
  'America/Tijuana': '616 646 661 664 665 686',
  // Sonora keeps standard time all year.
  'America/Hermosillo': '622 631 644 653 662',
  'America/Mazatlan': '311 612 624 667 668 669',
});

/** Indonesia: Java and Sumatra landlines are WIB, Bali and Nusa Tenggara WITA; mobiles (8) are national. */
const INDONESIA: PrefixZones = {
  '2': 'Asia/Jakarta',
  '31': 'Asia/Jakarta',
  '32': 'Asia/Jakarta',
  '33': 'Asia/Jakarta',
  '34': 'Asia/Jakarta',
  '35': 'Asia/Jakarta',
  '36': 'Asia/Makassar',
  '37': 'Asia/Makassar',
  '38': 'Asia/Makassar',
  '6': 'Asia/Jakarta',
  '7': 'Asia/Jakarta',
};

/**
 * +7: Kazakhstan (6 and 7, one zone since March 2024) and Russia, where only the Moscow-time area
 * code families are listed; Russian mobiles (9) do not tell the region.
 */
const RUSSIA_KAZAKHSTAN: PrefixZones = {
  '7': 'Asia/Almaty',
  '47': 'Europe/Moscow',
  '48': 'Europe/Moscow',
  '49': 'Europe/Moscow',
  '81': 'Europe/Moscow',
  '82': 'Europe/Moscow',
  '83': 'Europe/Moscow',
  '86': 'Europe/Moscow',
  '87': 'Europe/Moscow',
};

/** Spain: the Canary Islands are an hour behind; landlines (8, 9) say where, mobiles (6, 7) do not. */
const SPAIN: PrefixZones = {
  '8': 'Europe/Madrid',
  '9': 'Europe/Madrid',
  '80': null, // special-rate services
  '90': null,
  '822': 'Atlantic/Canary',
  '827': 'Atlantic/Canary',
  '828': 'Atlantic/Canary',
  '922': 'Atlantic/Canary',
  '928': 'Atlantic/Canary',
};

/** Chile. Aysén (67) is on Magallanes time since 2025; its own zone is newer than tzdata 2025a. */
const CHILE: PrefixZones = {
  '': 'America/Santiago',
  '61': 'America/Punta_Arenas',
  '67': 'America/Punta_Arenas',
};

/** Every calling code whose numbers tell a zone; codes not listed give no answer. */
export const CALLING_CODE_ZONES: Readonly<Record<string, CallingCodeZones>> = {
  '1': NANP,
  '7': RUSSIA_KAZAKHSTAN,
  // Africa
  '20': 'Africa/Cairo',
  '211': 'Africa/Juba',
  '212': 'Africa/Casablanca',
  '213': 'Africa/Algiers',
  '216': 'Africa/Tunis',
  '218': 'Africa/Tripoli',
  '220': 'Africa/Banjul',
  '221': 'Africa/Dakar',
  '222': 'Africa/Nouakchott',
  '223': 'Africa/Bamako',
  '224': 'Africa/Conakry',
  '225': 'Africa/Abidjan',
  '226': 'Africa/Ouagadougou',
  '227': 'Africa/Niamey',
  '228': 'Africa/Lome',
  '229': 'Africa/Porto-Novo',
  '230': 'Indian/Mauritius',
  '231': 'Africa/Monrovia',
  '232': 'Africa/Freetown',
  '233': 'Africa/Accra',
  '234': 'Africa/Lagos',
  '235': 'Africa/Ndjamena',
  '236': 'Africa/Bangui',
  '237': 'Africa/Douala',
  '238': 'Atlantic/Cape_Verde',
  '239': 'Africa/Sao_Tome',
  '240': 'Africa/Malabo',
  '241': 'Africa/Libreville',
  '242': 'Africa/Brazzaville',
  '244': 'Africa/Luanda',
  '245': 'Africa/Bissau',
  '246': 'Indian/Chagos',
  '247': 'Atlantic/St_Helena',
  '248': 'Indian/Mahe',
  '249': 'Africa/Khartoum',
  '250': 'Africa/Kigali',
  '251': 'Africa/Addis_Ababa',
  '252': 'Africa/Mogadishu',
  '253': 'Africa/Djibouti',
  '254': 'Africa/Nairobi',
  '255': 'Africa/Dar_es_Salaam',
  '256': 'Africa/Kampala',
  '257': 'Africa/Bujumbura',
  '258': 'Africa/Maputo',
  '260': 'Africa/Lusaka',
  '261': 'Indian/Antananarivo',
  // Réunion and Mayotte share +262 an hour apart; landline and mobile prefixes tell them apart.
  '262': {
    '262': 'Indian/Reunion',
    '263': 'Indian/Reunion',
    '692': 'Indian/Reunion',
    '693': 'Indian/Reunion',
    '269': 'Indian/Mayotte',
    '639': 'Indian/Mayotte',
  },
  '263': 'Africa/Harare',
  '264': 'Africa/Windhoek',
  '265': 'Africa/Blantyre',
  '266': 'Africa/Maseru',
  '267': 'Africa/Gaborone',
  '268': 'Africa/Mbabane',
  '269': 'Indian/Comoro',
  '27': 'Africa/Johannesburg',
  '290': 'Atlantic/St_Helena',
  '291': 'Africa/Asmara',
  '297': 'America/Aruba',
  '298': 'Atlantic/Faroe',
  // Europe
  '30': 'Europe/Athens',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '33': 'Europe/Paris',
  '34': SPAIN,
  '350': 'Europe/Gibraltar',
  // Portugal: the Azores (2.3% of people) are an hour behind; only their landlines say so.
  '351': {
    '': 'Europe/Lisbon',
    '292': 'Atlantic/Azores',
    '295': 'Atlantic/Azores',
    '296': 'Atlantic/Azores',
  },
  '352': 'Europe/Luxembourg',
  '353': 'Europe/Dublin',
  '354': 'Atlantic/Reykjavik',
  '355': 'Europe/Tirane',
  '356': 'Europe/Malta',
  '357': 'Asia/Nicosia',
  '358': 'Europe/Helsinki',
  '359': 'Europe/Sofia',
  '36': 'Europe/Budapest',
  '370': 'Europe/Vilnius',
  '371': 'Europe/Riga',
  '372': 'Europe/Tallinn',
  '373': 'Europe/Chisinau',
  '374': 'Asia/Yerevan',
  '375': 'Europe/Minsk',
  '376': 'Europe/Andorra',
  '377': 'Europe/Monaco',
  '378': 'Europe/San_Marino',
  // Crimea's numbers moved to +7; the rest of Ukraine keeps Kyiv time.
  '380': 'Europe/Kyiv',
  '381': 'Europe/Belgrade',
  '382': 'Europe/Podgorica',
  '383': 'Europe/Belgrade',
  '385': 'Europe/Zagreb',
  '386': 'Europe/Ljubljana',
  '387': 'Europe/Sarajevo',
  '389': 'Europe/Skopje',
  '39': 'Europe/Rome',
  '40': 'Europe/Bucharest',
  '41': 'Europe/Zurich',
  '420': 'Europe/Prague',
  '421': 'Europe/Bratislava',
  '423': 'Europe/Vaduz',
  '43': 'Europe/Vienna',
  '44': 'Europe/London',
  '45': 'Europe/Copenhagen',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '48': 'Europe/Warsaw',
  '49': 'Europe/Berlin',
  // The Americas
  '500': 'Atlantic/Stanley',
  '501': 'America/Belize',
  '502': 'America/Guatemala',
  '503': 'America/El_Salvador',
  '504': 'America/Tegucigalpa',
  '505': 'America/Managua',
  '506': 'America/Costa_Rica',
  '507': 'America/Panama',
  '508': 'America/Miquelon',
  '509': 'America/Port-au-Prince',
  '51': 'America/Lima',
  '52': MEXICO,
  '53': 'America/Havana',
  '54': 'America/Argentina/Buenos_Aires',
  '55': BRAZIL,
  '56': CHILE,
  '57': 'America/Bogota',
  '58': 'America/Caracas',
  '590': 'America/Guadeloupe',
  '591': 'America/La_Paz',
  '592': 'America/Guyana',
  // Ecuador: the Galápagos (0.2% of people) are an hour behind and share the mainland's prefixes.
  '593': 'America/Guayaquil',
  '594': 'America/Cayenne',
  '595': 'America/Asuncion',
  '596': 'America/Martinique',
  '597': 'America/Paramaribo',
  '598': 'America/Montevideo',
  '599': 'America/Curacao',
  // Asia and Oceania
  '60': 'Asia/Kuala_Lumpur',
  '61': AUSTRALIA,
  '62': INDONESIA,
  '63': 'Asia/Manila',
  '64': { '': 'Pacific/Auckland', '3305': 'Pacific/Chatham' },
  '65': 'Asia/Singapore',
  '66': 'Asia/Bangkok',
  '670': 'Asia/Dili',
  '672': 'Pacific/Norfolk',
  '673': 'Asia/Brunei',
  '674': 'Pacific/Nauru',
  '676': 'Pacific/Tongatapu',
  '677': 'Pacific/Guadalcanal',
  '678': 'Pacific/Efate',
  '679': 'Pacific/Fiji',
  '680': 'Pacific/Palau',
  '681': 'Pacific/Wallis',
  '682': 'Pacific/Rarotonga',
  '683': 'Pacific/Niue',
  '685': 'Pacific/Apia',
  '687': 'Pacific/Noumea',
  '688': 'Pacific/Funafuti',
  '690': 'Pacific/Fakaofo',
  '692': 'Pacific/Majuro',
  '81': 'Asia/Tokyo',
  '82': 'Asia/Seoul',
  '84': 'Asia/Ho_Chi_Minh',
  '850': 'Asia/Pyongyang',
  '852': 'Asia/Hong_Kong',
  '853': 'Asia/Macau',
  '855': 'Asia/Phnom_Penh',
  '856': 'Asia/Vientiane',
  '86': 'Asia/Shanghai',
  '880': 'Asia/Dhaka',
  '886': 'Asia/Taipei',
  // Northern Cyprus uses +90 392 for landlines and keeps EU daylight saving, unlike Turkey.
  '90': { '': 'Europe/Istanbul', '392': 'Asia/Famagusta' },
  '91': 'Asia/Kolkata',
  '92': 'Asia/Karachi',
  '93': 'Asia/Kabul',
  '94': 'Asia/Colombo',
  '95': 'Asia/Yangon',
  '960': 'Indian/Maldives',
  '961': 'Asia/Beirut',
  '962': 'Asia/Amman',
  '963': 'Asia/Damascus',
  '964': 'Asia/Baghdad',
  '965': 'Asia/Kuwait',
  '966': 'Asia/Riyadh',
  '967': 'Asia/Aden',
  '968': 'Asia/Muscat',
  '971': 'Asia/Dubai',
  '972': 'Asia/Jerusalem',
  '973': 'Asia/Bahrain',
  '974': 'Asia/Qatar',
  '975': 'Asia/Thimphu',
  '977': 'Asia/Kathmandu',
  '98': 'Asia/Tehran',
  '992': 'Asia/Dushanbe',
  '993': 'Asia/Ashgabat',
  '994': 'Asia/Baku',
  '995': 'Asia/Tbilisi',
  '996': 'Asia/Bishkek',
  '998': 'Asia/Tashkent',
};
